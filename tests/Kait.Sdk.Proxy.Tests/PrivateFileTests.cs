using Kait.Sdk.Caching;
using Kait.Sdk.Costs.Ledger;
using Kait.Sdk.Hosting;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kait.Sdk.Proxy.Tests;

/// <summary>
/// Every folder Kait creates is 0700 and every file 0600, whatever component runs first; a link planted at one of its paths
/// is never written (nor read) through, and the file it points at stays as it was.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class PrivateFileTests
{
    [Fact]
    public async Task The_supervisor_makes_home_logs_run_record_and_lock_private()
    {
        using var temp = new TempHome();
        var home = temp.File("kait"); // missing: Kait creates it
        var port = Net.FreePort();
        var control = new ProxyControl(StandIn.Options(home, port) with { StopGracePeriod = TimeSpan.FromSeconds(3) });
        using var cts = new CancellationTokenSource();

        var run = control.RunAsync(handleSignals: false, cts.Token);
        try
        {
            Assert.True(await Poll.UntilAsync(async () => (await control.GetStatusAsync()).Outcome == ProxyOutcome.Ok), "status never became healthy");

            Assert.Equal("0700", Modes.Of(home));
            Assert.Equal("0700", Modes.Of(Path.Combine(home, "logs")));
            Assert.Equal("0600", Modes.Of(control.Options.LogFilePath));
            Assert.Equal("0700", Modes.Of(Path.Combine(home, "run")));
            Assert.Equal("0600", Modes.Of(control.Options.RunRecordPath));
            Assert.Equal("0600", Modes.Of(Path.Combine(home, "run", "litellm.lock")));
        }
        finally
        {
            await cts.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(15));
        }

        Assert.Empty(Directory.GetFiles(Path.Combine(home, "run"), "*.tmp")); // no temporary file left behind
    }

    [Fact]
    public async Task A_home_and_log_left_open_by_an_older_version_are_tightened()
    {
        using var temp = new TempHome();
        var home = temp.File("kait");
        Directory.CreateDirectory(Path.Combine(home, "logs"));
        File.SetUnixFileMode(home, (UnixFileMode)0b111_101_101);
        File.SetUnixFileMode(Path.Combine(home, "logs"), (UnixFileMode)0b111_101_101);
        var log = Path.Combine(home, "logs", "litellm.log");
        await File.WriteAllTextAsync(log, "old line\n");
        File.SetUnixFileMode(log, (UnixFileMode)0b110_100_100);

        await using var service = new LiteLlmProxyService(StandIn.Options(home, Net.FreePort()));
        await service.StartAsync(CancellationToken.None);

        Assert.Equal("0700", Modes.Of(home));
        Assert.Equal("0700", Modes.Of(Path.Combine(home, "logs")));
        Assert.Equal("0600", Modes.Of(log));
        Assert.StartsWith("old line", await File.ReadAllTextAsync(log));
    }

    [Fact]
    public void Rotated_logs_stay_private()
    {
        using var temp = new TempHome();
        var log = Path.Combine(temp.File("kait"), "logs", "litellm.log");
        using (var writer = new RotatingLogWriter(log, maxBytes: 1024, backups: 2))
        {
            for (var i = 0; i < 100; i++)
            {
                writer.WriteLine(new string('x', 100));
            }
        }

        Assert.Equal("0700", Modes.Of(temp.File("kait")));
        Assert.Equal("0600", Modes.Of(log));
        Assert.Equal("0600", Modes.Of(log + ".1"));
        Assert.Equal("0600", Modes.Of(log + ".2"));
    }

    [Fact]
    public async Task A_link_at_the_log_path_is_refused_and_its_target_untouched()
    {
        using var temp = new TempHome();
        var home = temp.File("kait");
        Directory.CreateDirectory(Path.Combine(home, "logs"));
        var bait = Modes.Bait(temp.File("bait.txt"));
        File.CreateSymbolicLink(Path.Combine(home, "logs", "litellm.log"), bait);
        var port = Net.FreePort();
        var starts = temp.File("starts.txt");

        await using var service = new LiteLlmProxyService(StandIn.Options(home, port, "--starts-file", starts));
        var ex = await Assert.ThrowsAsync<LiteLlmProxyException>(() => service.StartAsync(CancellationToken.None));

        Assert.Contains("symbolic link", ex.Message);
        Assert.Contains(Path.Combine(home, "logs", "litellm.log"), ex.Message);
        Assert.False(File.Exists(starts), "no proxy starts without its log");
        Modes.Untouched(bait);
    }

    [Fact]
    public async Task A_detached_start_refuses_a_link_at_the_log_path()
    {
        using var temp = new TempHome();
        var home = temp.File("kait");
        Directory.CreateDirectory(Path.Combine(home, "logs"));
        var bait = Modes.Bait(temp.File("bait.txt"));
        File.CreateSymbolicLink(Path.Combine(home, "logs", "litellm.log"), bait);
        var port = Net.FreePort();
        var control = new ProxyControl(StandIn.Options(home, port)) { StartTimeout = TimeSpan.FromSeconds(15) };
        try
        {
            var result = await control.StartDetachedAsync(StandIn.Python, StandIn.Command(port));

            Assert.Equal(ProxyOutcome.Failed, result.Outcome);
            Assert.Contains("symbolic link", result.Message);
            Modes.Untouched(bait);
        }
        finally
        {
            await control.StopAsync();
        }
    }

    [Fact]
    public async Task Links_at_the_run_record_and_its_old_temporary_name_are_not_followed()
    {
        using var temp = new TempHome();
        var home = temp.File("kait");
        Directory.CreateDirectory(Path.Combine(home, "run"));
        var record = Path.Combine(home, "run", "litellm.json");
        var recordBait = Modes.Bait(temp.File("record-bait.txt"));
        var tempBait = Modes.Bait(temp.File("temp-bait.txt"));
        File.CreateSymbolicLink(record, recordBait);
        File.CreateSymbolicLink(record + ".tmp", tempBait); // the fixed temporary name older versions wrote through
        var port = Net.FreePort();
        var control = new ProxyControl(StandIn.Options(home, port) with { StopGracePeriod = TimeSpan.FromSeconds(3) });
        using var cts = new CancellationTokenSource();

        var run = control.RunAsync(handleSignals: false, cts.Token);
        try
        {
            Assert.True(await Poll.UntilAsync(async () => (await control.GetStatusAsync()).Outcome == ProxyOutcome.Ok), "status never became healthy");
            Assert.Null(new FileInfo(record).LinkTarget); // the link was replaced by Kait's own file
            Assert.Equal("0600", Modes.Of(record));
        }
        finally
        {
            await cts.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(15));
        }

        Modes.Untouched(recordBait);
        Modes.Untouched(tempBait);
    }

    [Fact]
    public void The_cache_salt_and_its_home_are_private_and_a_linked_salt_is_refused()
    {
        using var temp = new TempHome();
        var home = temp.File("kait");

        var salt = CacheKeys.LoadOrCreateSalt(Path.Combine(home, CacheKeys.SaltFile));

        Assert.Equal(32, salt.Length);
        Assert.Equal("0700", Modes.Of(home));
        Assert.Equal("0600", Modes.Of(Path.Combine(home, CacheKeys.SaltFile)));

        var other = temp.File("other");
        Directory.CreateDirectory(other);
        var bait = Modes.Bait(temp.File("bait.bin"), new string('k', 64));
        File.CreateSymbolicLink(Path.Combine(other, CacheKeys.SaltFile), bait);
        var ex = Assert.Throws<IOException>(() => CacheKeys.LoadOrCreateSalt(Path.Combine(other, CacheKeys.SaltFile)));
        Assert.Contains("symbolic link", ex.Message);
        Modes.Untouched(bait, new string('k', 64));
    }

    [Fact]
    public async Task The_response_cache_database_its_wal_and_its_folder_are_private()
    {
        using var temp = new TempHome();
        var home = temp.File("kait");
        var path = Path.Combine(home, SqliteDistributedCache.FileName);
        using var cache = new SqliteDistributedCache(path, TimeProvider.System, NullLogger.Instance);

        await cache.SetAsync("k", [1, 2, 3], new Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) });

        Assert.False(cache.Bypassed);
        Assert.Equal("0700", Modes.Of(home));
        Assert.Equal("0600", Modes.Of(path));
        foreach (var side in (string[])[path + "-wal", path + "-shm"])
        {
            if (File.Exists(side))
            {
                Assert.Equal("0600", Modes.Of(side));
            }
        }
    }

    [Fact]
    public async Task A_linked_response_cache_database_is_bypassed_and_its_target_untouched()
    {
        using var temp = new TempHome();
        var home = temp.File("kait");
        Directory.CreateDirectory(home);
        var bait = Modes.Bait(temp.File("bait.db"));
        var path = Path.Combine(home, SqliteDistributedCache.FileName);
        File.CreateSymbolicLink(path, bait);
        using var cache = new SqliteDistributedCache(path, TimeProvider.System, NullLogger.Instance);

        await cache.SetAsync("k", [1, 2, 3], new Microsoft.Extensions.Caching.Distributed.DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(1) });

        Assert.True(cache.Bypassed);
        Modes.Untouched(bait);
    }

    [Fact]
    public void The_ledger_creates_every_missing_folder_private_and_never_writes_through_a_link()
    {
        using var temp = new TempHome();
        var path = Path.Combine(temp.File("kait"), "deep", "llm_costs.db");
        using (LedgerDatabase.Open(path, 1))
        {
        }

        Assert.Equal("0700", Modes.Of(temp.File("kait")));
        Assert.Equal("0700", Modes.Of(Path.GetDirectoryName(path)!));
        Assert.Equal("0600", Modes.Of(path));

        var linked = Path.Combine(temp.File("kait"), "linked.db");
        var bait = Modes.Bait(temp.File("bait.db"));
        File.CreateSymbolicLink(linked, bait);
        var ex = Assert.Throws<IOException>(() => LedgerDatabase.Open(linked, 1).Dispose());
        Assert.Contains("symbolic link", ex.Message);
        Modes.Untouched(bait);
    }

    [Fact]
    public async Task The_modes_do_not_depend_on_the_umask()
    {
        using var temp = new TempHome();
        var home = temp.File("kait");
        var port = Net.FreePort();
        // `kait proxy run` started by hand from a shell whose umask is 000.
        var info = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])["-c", "umask 000; exec \"$@\"", "sh", "dotnet", FakeLitellm.SupervisorDll])
        {
            info.ArgumentList.Add(a);
        }

        info.Environment["KAIT_HOME"] = home;
        info.Environment["KAIT_LITELLM_PORT"] = port.ToString();
        info.Environment["KAIT_PYTHON"] = StandIn.Python;
        info.Environment["KAIT_CONFIG"] = temp.File("litellm_config.yaml");
        info.Environment["PYTHONPATH"] = FakeLitellm.Package(temp);
        using var supervisor = System.Diagnostics.Process.Start(info)!;
        try
        {
            var record = Path.Combine(home, "run", "litellm.json");
            Assert.True(await Poll.UntilAsync(() => File.Exists(record) && File.ReadAllText(record).Contains("\"running\""), TimeSpan.FromSeconds(30)), "the supervisor never got ready");

            Assert.Equal("0700", Modes.Of(home));
            Assert.Equal("0700", Modes.Of(Path.Combine(home, "logs")));
            Assert.Equal("0600", Modes.Of(Path.Combine(home, "logs", "litellm.log")));
            Assert.Equal("0700", Modes.Of(Path.Combine(home, "run")));
            Assert.Equal("0600", Modes.Of(record));
            Assert.Equal("0600", Modes.Of(Path.Combine(home, "run", "litellm.lock")));
        }
        finally
        {
            Posix.Signal(supervisor.Id, Posix.SIGTERM);
            if (!supervisor.WaitForExit(15_000))
            {
                supervisor.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task A_pipe_planted_at_the_log_path_is_refused_without_blocking()
    {
        using var temp = new TempHome();
        var logs = Directory.CreateDirectory(temp.File("kait/logs")).FullName;
        var log = Path.Combine(logs, "litellm.log");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", log)!)
        {
            await mkfifo.WaitForExitAsync();
        }

        var open = Task.Run(() => new RotatingLogWriter(log, 1024 * 1024, 1).Dispose());

        await Assert.ThrowsAnyAsync<IOException>(() => open.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public void An_atomic_write_replaces_a_link_and_leaves_no_temporary_file()
    {
        using var temp = new TempHome();
        var dir = Directory.CreateDirectory(temp.File("kait")).FullName;
        var bait = Modes.Bait(temp.File("bait.txt"));
        var target = Path.Combine(dir, "record.json");
        File.CreateSymbolicLink(target, bait);

        Kait.Sdk.IO.PrivateFiles.WriteAllAtomic(target, "{}"u8);

        Assert.Null(new FileInfo(target).LinkTarget);
        Assert.Equal("{}", File.ReadAllText(target));
        Assert.Equal("0600", Modes.Of(target));
        Assert.Equal([target], Directory.GetFileSystemEntries(dir));
        Modes.Untouched(bait);
    }
}
