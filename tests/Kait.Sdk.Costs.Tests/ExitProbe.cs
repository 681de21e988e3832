using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Kait.Sdk.Costs.Tests;

/// <summary>
/// A child process (this test assembly, started with <c>exit-probe</c>) that queues rows while the ledger is locked, so
/// that they are still waiting in memory, then releases the lock and ends without disposing its tracker: by returning
/// from <c>Main</c> or by <see cref="Environment.Exit"/>. Only the tracker's process-exit flush can write them.
/// </summary>
internal static class ExitProbe
{
    public const string Verb = "exit-probe";

    /// <summary>Runs the probe; its exit code and output (bounded in time).</summary>
    public static Task<(int ExitCode, string Output)> RunAsync(string databasePath, int rows, string how) =>
        ChildRunAsync(TimeSpan.FromSeconds(60), Verb, databasePath, rows.ToString(System.Globalization.CultureInfo.InvariantCulture), how);

    /// <summary>Runs this test assembly as a child process with <paramref name="arguments"/> (a verb first); its exit
    /// code and output, killed after <paramref name="limit"/>.</summary>
    public static async Task<(int ExitCode, string Output)> ChildRunAsync(TimeSpan limit, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(ExitProbe).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>The child's side.</summary>
    public static int Run(string databasePath, int rows, string how)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        var logger = new ListLogger<LlmCostTracker>();
        var options = Microsoft.Extensions.Options.Options.Create(new KaitCostOptions { DatabasePath = databasePath, FlushInterval = TimeSpan.FromHours(1) });
        using (var locker = Db.Open(databasePath))
        {
            Db.Execute(locker, "BEGIN EXCLUSIVE;");
            var tracker = new LlmCostTracker(options, TimeProvider.System, logger); // never disposed
            for (var i = 0; i < rows; i++)
            {
                if (!tracker.TryRecord(TrackerTests.Row(7, i)))
                {
                    return 2;
                }
            }

            // The writer has failed on the lock and waits an hour before trying again.
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (!logger.Has(LogLevel.Error, 4110))
            {
                if (DateTime.UtcNow > deadline)
                {
                    return 3;
                }

                Thread.Sleep(20);
            }

            Console.WriteLine($"queued {tracker.PendingRows} rows");
            Db.Execute(locker, "ROLLBACK;");
        }

        if (how == "exit")
        {
            Environment.Exit(0);
        }

        return 0;
    }
}

/// <summary>The test assembly's entry point: the test host never calls it; <see cref="ExitProbe"/> does.</summary>
internal static class Program
{
    public static int Main(string[] args) =>
        args is [ExitProbe.Verb, var path, var rows, var how]
            ? ExitProbe.Run(path, int.Parse(rows, System.Globalization.CultureInfo.InvariantCulture), how)
            : args is [BudgetProbe.Verb, ..]
            ? BudgetProbe.RunAsync(args[1..]).GetAwaiter().GetResult()
            : 1;
}
