namespace Kait.Sdk.Generators.Tests;

/// <summary>Paths of the repo and of the shared fixtures (read in place, never copied).</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string SharedRoot => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    public static string Fixtures => Path.Combine(SharedRoot, "fixtures", "litellm-configs");

    public static string ExpectedAliases => Path.Combine(SharedRoot, "fixtures", "expected-aliases.json");

    public static string DefaultConfig => Path.Combine(RepoRoot, "config", "litellm_config.yaml");

    public static string Baselines => Path.Combine(RepoRoot, "tests", "Kait.Sdk.Generators.Tests", "Baselines");

    public static IEnumerable<string> FixtureFiles() => Directory.GetFiles(Fixtures, "*.yaml").OrderBy(f => f, StringComparer.Ordinal);

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
