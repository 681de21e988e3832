using System.Diagnostics;
using System.Text.Json;
using Kait.Sdk;

namespace Kait.Cli.Tests;

/// <summary>Runs <c>kait</c> in-process against an injected environment and a temporary working directory.</summary>
internal sealed class CliRunner : IDisposable
{
    public CliRunner(string? configYaml = null)
    {
        WorkingDirectory = Directory.CreateTempSubdirectory("kait-cli-").FullName;
        Home = Path.Combine(WorkingDirectory, "home");
        Directory.CreateDirectory(Path.Combine(WorkingDirectory, "config"));
        File.WriteAllText(Path.Combine(WorkingDirectory, "config", "litellm_config.yaml"), configYaml ?? File.ReadAllText(Path.Combine(RepoRoot, "config", "litellm_config.yaml")));
        Environment["KAIT_HOME"] = Home;
    }

    public static string RepoRoot { get; } = FindRepoRoot();

    public string WorkingDirectory { get; }

    public string Home { get; }

    public Dictionary<string, string?> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>What the next runs read on stdin.</summary>
    public string? Input { get; set; }

    public async Task<CliRun> RunAsync(params string[] args)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        using var stdin = new StringReader(Input ?? string.Empty);
        var context = new CliContext(KaitEnvironment.FromDictionary(Environment, WorkingDirectory), stdout, stderr) { In = stdin };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var exit = await KaitCli.RunAsync(args, context, timeout.Token);
        return new CliRun(exit, stdout.ToString(), stderr.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Runs the built <c>kait</c> program as a process (for what only the real entry point shows).</summary>
    public static CliRun RunProcess(string workingDirectory, IDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kait.dll"));
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment)
        {
            info.Environment[k] = v;
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
        }

        return new CliRun(process.ExitCode, stdout.Result, stderr.Result);
    }

    private static string FindRepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kait.Sdk.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Kait.Sdk.sln not found");
    }
}

internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    public JsonElement Json() => JsonDocument.Parse(Out).RootElement.Clone();
}
