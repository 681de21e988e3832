using System.Diagnostics;
using System.Globalization;

namespace Kait.Sdk.Packaging.Tests;

/// <summary>Packs every Kait package once, with a version unique to this run, into a private folder feed; consumers
/// restore from it (then the machine's warm cache, then nuget.org) into a package folder of their own.</summary>
public sealed class PackedFeed : IDisposable
{
    /// <summary>The packages a user can reference.</summary>
    public static readonly string[] Projects =
    [
        "src/Kait.Sdk/Kait.Sdk.csproj",
        "src/Kait.Sdk.Testing/Kait.Sdk.Testing.csproj",
        "src/Kait.Cli/Kait.Cli.csproj",
        "src/Kait.Sdk.Redis/Kait.Sdk.Redis.csproj",
        "src/Kait.Sdk.Hosting/Kait.Sdk.Hosting.csproj",
    ];

    /// <summary>Where consumers restore to: never the user's own package folder, so test versions stay out of it.</summary>
    public static readonly string PrivatePackages = Path.Combine(Path.GetTempPath(), "kait-packaging-tests-nuget");

    private readonly string root = Directory.CreateTempSubdirectory("kait-feed-").FullName;

    public PackedFeed()
    {
        Version = "0.1.0-test." + DateTime.UtcNow.ToString("yyyyMMddHHmmssfff", CultureInfo.InvariantCulture);
        Feed = Path.Combine(root, "feed");
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        foreach (var project in Projects)
        {
            var pack = Run(RepoRoot, TimeSpan.FromMinutes(5), null, "dotnet", "pack", project, "--no-build", "--configuration", configuration, "--output", Feed, "-p:PackageVersion=" + Version);
            Assert.True(pack.ExitCode == 0, pack.Output);
        }
    }

    public string Version { get; }

    public string Feed { get; }

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The dotnet host running these tests.</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";

    /// <summary>The machine's package cache, offered as a read-only source so a consumer restores offline when it can.</summary>
    public static string WarmCache => Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } p ? p
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>A NuGet.config for a consumer in <paramref name="directory"/>: this feed first.</summary>
    public void WriteNuGetConfig(string directory) => File.WriteAllText(Path.Combine(directory, "NuGet.config"), $"""
        <?xml version="1.0" encoding="utf-8"?>
        <configuration>
          <packageSources>
            <clear />
            <add key="local" value="{Feed}" />
            <add key="warm" value="{WarmCache}" />
            <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
          </packageSources>
        </configuration>
        """);

    public void Dispose()
    {
        Directory.Delete(root, recursive: true);
        foreach (var project in Projects)
        {
            var cached = Path.Combine(PrivatePackages, Path.GetFileNameWithoutExtension(project).ToLowerInvariant(), Version);
            if (Directory.Exists(cached))
            {
                Directory.Delete(cached, recursive: true);
            }
        }
    }

    /// <summary>Runs <paramref name="fileName"/> (<c>dotnet</c>: the SDK running these tests) with a clean MSBuild
    /// state and the private package folder; <paramref name="environment"/> entries set (a null value removes one).</summary>
    public static (int ExitCode, string Output, TimeSpan Elapsed) Run(string workingDirectory, TimeSpan timeout, IReadOnlyDictionary<string, string?>? environment, string fileName, params string[] args)
    {
        var info = new ProcessStartInfo(fileName == "dotnet" ? DotnetHost : fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // dotnet test leaks MSBuild state into child builds; a consumer build must start clean.
        foreach (var key in info.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToArray())
        {
            info.Environment.Remove(key);
        }

        // No build server outlives the build holding its output open.
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        info.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        info.Environment["NUGET_PACKAGES"] = PrivatePackages;
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            return (-1, $"timed out after {timeout}: {fileName} {string.Join(' ', args)}\n{(stdout.IsCompleted ? stdout.Result : "")}", clock.Elapsed);
        }

        return (process.ExitCode, stdout.Result + stderr.Result, clock.Elapsed);
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kait.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Kait.Sdk.sln not found above " + AppContext.BaseDirectory);
    }
}

[CollectionDefinition(Name)]
public sealed class PackedFeedGroup : ICollectionFixture<PackedFeed>
{
    public const string Name = "packed feed";
}
