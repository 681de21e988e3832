namespace Kait.Sdk.Generators.Tests;

/// <summary>
/// The generated source for the default config and for each shared fixture, compared with committed baselines.
/// To re-accept after an intended change: <c>KAIT_ACCEPT_BASELINES=1 dotnet test tests/Kait.Sdk.Generators.Tests</c>,
/// then review the diff of tests/Kait.Sdk.Generators.Tests/Baselines.
/// </summary>
public sealed class BaselineTests
{
    public static TheoryData<string> Cases()
    {
        var data = new TheoryData<string> { "default" };
        foreach (var file in TestPaths.FixtureFiles())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generated_source_matches_its_baseline_and_compiles(string name)
    {
        var result = GeneratorHarness.Run(Files(name));
        var baseline = Path.Combine(TestPaths.Baselines, (name == "default" ? "default" : Path.GetFileNameWithoutExtension(name)) + ".g.cs");
        if (Environment.GetEnvironmentVariable("KAIT_ACCEPT_BASELINES") == "1")
        {
            File.WriteAllText(baseline, result.Source);
        }

        Assert.True(File.Exists(baseline), $"No baseline {baseline}; run with KAIT_ACCEPT_BASELINES=1 to create it.");
        Assert.Equal(File.ReadAllText(baseline), result.Source);
        Assert.Empty(result.CompileErrors);
        Assert.Null(result.RunResult.Results.Single().Exception);
    }

    internal static IEnumerable<ConfigFile> Files(string name)
    {
        if (name == "default")
        {
            yield return new ConfigFile("/project/config/litellm_config.yaml", File.ReadAllText(TestPaths.DefaultConfig));
            yield break;
        }

        yield return new ConfigFile("/project/fixtures/" + name, File.ReadAllText(Path.Combine(TestPaths.Fixtures, name)));
        if (name.EndsWith("config_with_include.yaml", StringComparison.Ordinal))
        {
            // Upstream the two files sit side by side; the included one is handed over under its real name.
            yield return new ConfigFile(
                "/project/fixtures/included_models.yaml",
                File.ReadAllText(Path.Combine(TestPaths.Fixtures, "tests__proxy_unit_tests__example_config_yaml__included_models.yaml")),
                Marked: false);
        }
    }
}
