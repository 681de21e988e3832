using Xunit.Abstractions;

namespace Kait.Sdk.Packaging.Tests;

/// <summary><c>dotnet tool install Kait.Cli</c> from the packed feed, then the installed <c>kait</c>: its version and the
/// whole offline demo.</summary>
[Collection(PackedFeedGroup.Name)]
public sealed class ToolInstallTests
{
    private readonly PackedFeed feed;
    private readonly ITestOutputHelper output;

    public ToolInstallTests(PackedFeed feed, ITestOutputHelper output)
    {
        this.feed = feed;
        this.output = output;
    }

    [Fact]
    public void The_tool_installs_from_the_feed_and_the_installed_kait_tells_its_version_and_runs_the_demo()
    {
        var dir = Directory.CreateTempSubdirectory("kait-tool-").FullName;
        var home = Directory.CreateTempSubdirectory("kait-tool-home-").FullName;
        try
        {
            feed.WriteNuGetConfig(dir);
            var tools = Path.Combine(dir, "tools");
            var install = PackedFeed.Run(dir, TimeSpan.FromMinutes(5), null, "dotnet", "tool", "install", "Kait.Cli", "--tool-path", tools, "--version", feed.Version, "--configfile", Path.Combine(dir, "NuGet.config"));
            output.WriteLine($"install: {install.Elapsed.TotalSeconds:0} s");
            Assert.True(install.ExitCode == 0, install.Output);

            var kait = Path.Combine(tools, "kait");
            Assert.True(File.Exists(kait), install.Output);

            // A user's shell: no Kait or provider settings, a home of its own, a directory without a config.
            var environment = AotConsumerTests.CleanEnvironment(home);
            var version = PackedFeed.Run(dir, TimeSpan.FromMinutes(1), environment, kait, "--version");
            Assert.True(version.ExitCode == 0, version.Output);
            // The assembly's version (the feed's package version is set at pack time, after the build): 0.1.0+commit.
            Assert.Matches(@"^\d+\.\d+\.\d+([-+][0-9A-Za-z.+-]*)?$", version.Output.Trim());
            Assert.StartsWith(feed.Version.Split('-')[0], version.Output.Trim(), StringComparison.Ordinal);

            var demo = PackedFeed.Run(dir, TimeSpan.FromMinutes(2), environment, kait, "demo");
            output.WriteLine(demo.Output);
            Assert.True(demo.ExitCode == 0, demo.Output);
            Assert.Contains("Hello from the proxy!", demo.Output, StringComparison.Ordinal);
            Assert.Contains("cached true", demo.Output, StringComparison.Ordinal);
            Assert.Contains("Demo complete.", demo.Output, StringComparison.Ordinal);

            // The demo keeps to a home of its own: nothing is left in the user's.
            Assert.Empty(Directory.GetFileSystemEntries(home));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
            Directory.Delete(home, recursive: true);
        }
    }
}
