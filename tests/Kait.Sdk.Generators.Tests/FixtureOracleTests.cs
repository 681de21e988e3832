using System.Text.Json;
using Kait.Sdk.Config;

namespace Kait.Sdk.Generators.Tests;

/// <summary>Every real LiteLLM config in shared/fixtures gives what LiteLLM itself (PyYAML) reads from it.</summary>
public sealed class FixtureOracleTests
{
    private const string IncludeFixture = "tests__proxy_unit_tests__example_config_yaml__config_with_include.yaml";
    private const string IncludedFixture = "tests__proxy_unit_tests__example_config_yaml__included_models.yaml";

    public static TheoryData<string> Fixtures()
    {
        var data = new TheoryData<string>();
        foreach (var file in TestPaths.FixtureFiles())
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }

    [Fact]
    public void The_oracle_covers_every_fixture()
    {
        using var oracle = JsonDocument.Parse(File.ReadAllText(TestPaths.ExpectedAliases));
        var expected = oracle.RootElement.GetProperty("files").EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal);
        Assert.Equal(expected, TestPaths.FixtureFiles().Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Reader_gives_LiteLLMs_aliases_wildcards_and_diagnostics(string fixture)
    {
        using var oracle = JsonDocument.Parse(File.ReadAllText(TestPaths.ExpectedAliases));
        var expected = oracle.RootElement.GetProperty("files").GetProperty(fixture);
        var result = Read(fixture);

        if (!expected.GetProperty("valid").GetBoolean())
        {
            var error = Assert.Single(result.Diagnostics, d => d.Id == "KAIT001");
            Assert.Equal(ConfigSeverity.Error, error.Severity);
            // YamlDotNet may place the error a line away from PyYAML; it must be near the real fault.
            Assert.InRange(error.Location.Line, expected.GetProperty("errorLine").GetInt32() - 1, expected.GetProperty("errorLine").GetInt32() + 1);
            Assert.Contains(fixture, error.Message, StringComparison.Ordinal);
            Assert.Empty(result.Config.Aliases);
            return;
        }

        if (expected.TryGetProperty("aliases", out var aliases))
        {
            Assert.Equal(aliases.EnumerateArray().Select(a => a.GetString()), result.Config.Aliases.Select(a => a.Name));
        }

        if (expected.TryGetProperty("wildcards", out var wildcards))
        {
            Assert.Equal(wildcards.EnumerateArray().Select(a => a.GetString()), result.Config.Wildcards.Select(w => w.Pattern));
        }

        if (expected.TryGetProperty("expectDiagnostic", out var id))
        {
            var found = Assert.Single(result.Diagnostics, d => d.Id == id.GetString() && (d.Id != "KAIT004"));
            if (expected.TryGetProperty("diagnosticLine", out var line))
            {
                Assert.Equal(line.GetInt32(), found.Location.Line);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Literal_keys_are_reported_without_their_value(string fixture)
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.Fixtures, fixture));
        var result = Read(fixture);
        foreach (var d in result.Diagnostics)
        {
            // No message may quote a secret: check every literal api_key value of the file.
            foreach (var line in text.Split('\n').Where(l => l.TrimStart().StartsWith("api_key:", StringComparison.Ordinal)))
            {
                var value = line.Split(':', 2)[1].Split('#')[0].Trim().Trim('"');
                if (value.Length > 0 && !value.StartsWith("os.environ/", StringComparison.Ordinal))
                {
                    Assert.DoesNotContain(value, d.Message, StringComparison.Ordinal);
                }
            }
        }

        var literalKeyLines = text.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n')
            .Select((l, i) => (Line: i + 1, Text: l.Split('#')[0].Trim()))
            .Where(l => l.Text.StartsWith("api_key:", StringComparison.Ordinal) && l.Text.Length > "api_key:".Length && !l.Text.Contains("os.environ/", StringComparison.Ordinal))
            .Select(l => l.Line)
            .ToArray();
        if (result.Diagnostics.Any(d => d.Id == "KAIT001"))
        {
            return;
        }

        Assert.Equal(literalKeyLines, result.Diagnostics.Where(d => d.Id == "KAIT004" && d.Message.Contains("api_key", StringComparison.Ordinal)).Select(d => d.Location.Line));
    }

    [Fact]
    public void Include_merges_the_model_list_of_the_included_file()
    {
        var result = Read(IncludeFixture);
        Assert.Equal(["included-model"], result.Config.Aliases.Select(a => a.Name));
        Assert.Equal(["included_models.yaml"], result.Config.Includes);
        var deployment = Assert.Single(result.Config.Aliases[0].Deployments);
        Assert.Equal("gpt-4", deployment.Model);
        Assert.Equal("openai", deployment.Provider);
        Assert.EndsWith("included_models.yaml", deployment.Location.File, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_include_is_an_error_at_its_line()
    {
        var text = File.ReadAllText(Path.Combine(TestPaths.Fixtures, IncludeFixture));
        var result = LiteLlmConfigReader.Read(text, "/cfg/main.yaml");
        var d = Assert.Single(result.Diagnostics, d => d.Id == "KAIT009");
        Assert.Equal(2, d.Location.Line);
        Assert.Contains("included_models.yaml", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_balanced_group_keeps_every_deployment_and_rpm_beside_params()
    {
        var result = Read("litellm__proxy__example_config_yaml__load_balancer.yaml");
        var group = result.Config.Aliases.Single(a => a.Name == "gpt-3.5-turbo");
        Assert.Equal(3, group.Deployments.Count);
        Assert.Equal([3, 3, null], group.Deployments.Select(d => d.Rpm));
        Assert.Equal([20000, 20000, null], group.Deployments.Select(d => d.Tpm));
        Assert.Equal("openrouter", group.Deployments[2].Provider);
        Assert.All(group.Deployments.Take(2), d => Assert.True(d.HasLiteralApiKey));
        Assert.All(group.Deployments, d => Assert.Null(d.ApiKeyVariable));
    }

    [Fact]
    public void Model_group_alias_points_at_its_group()
    {
        var result = Read("docs__my-website__docs__proxy__reliability.md__block_router_settings_alias.yaml");
        var alias = result.Config.Aliases.Single(a => a.Name == "gpt-4");
        Assert.Equal("gpt-3.5-turbo", alias.GroupAliasTarget);
        Assert.Equal(3, alias.Deployments.Count);
        Assert.Equal(1440, alias.Deployments[2].Rpm);
        Assert.Equal(2, result.Config.Settings.NumRetries);
    }

    [Fact]
    public void Duplicate_key_keeps_the_last_value_with_a_warning_at_the_second_key()
    {
        var result = Read("tests__proxy_unit_tests__example_config_yaml__config_with_env_vars.yaml");
        var d = Assert.Single(result.Diagnostics, d => d.Id == "KAIT005");
        Assert.Equal(ConfigSeverity.Warning, d.Severity);
        Assert.Contains("success_callback", d.Message, StringComparison.Ordinal);
        Assert.Equal("AZURE_GPT_4O", result.Config.Aliases[0].Deployments[0].ApiKeyVariable);
        Assert.False(result.Config.Settings.CacheEnabled);
    }

    [Fact]
    public void Prices_come_from_litellm_params_and_a_mistyped_env_prefix_is_flagged()
    {
        var result = Read("docs__my-website__docs__proxy__custom_pricing.md__block2_cost_per_token.yaml");
        var d = result.Config.Aliases.Single().Deployments.Single();
        Assert.Equal(0.000421m, d.InputCostPerToken);
        Assert.Equal(0.000520m, d.OutputCostPerToken);
        Assert.Equal("azure", d.Provider);
        Assert.Equal("AZURE_API_KEY", d.ApiKeyVariable);
        Assert.Equal("os.environ/AZURE_API_BASE", d.ApiBase);
        var typo = Assert.Single(result.Diagnostics, x => x.Id == "KAIT007");
        Assert.Contains("os.environ/AZURE_API_VERSION", typo.Message, StringComparison.Ordinal);
        Assert.Equal(7, typo.Location.Line);
    }

    [Fact]
    public void Wildcards_and_provider_prefixed_names_are_kept_apart()
    {
        var result = Read("litellm__proxy__example_config_yaml__oai_misc_config.yaml");
        Assert.Equal(["*", "anthropic/*", "groq/*"], result.Config.Wildcards.Select(w => w.Pattern));
        var bedrock = result.Config.Aliases.Single(a => a.Name.StartsWith("bedrock/", StringComparison.Ordinal)).Deployments.Single();
        Assert.Equal("bedrock", bedrock.Provider);
        Assert.Equal("batch", bedrock.Mode);
        Assert.Equal("1", result.Config.Aliases[0].Deployments[0].Id);
        Assert.Equal(["OPENAI_API_KEY", "ANTHROPIC_API_KEY", "GROQ_API_KEY"], result.Config.Wildcards.Select(w => w.Deployments[0].ApiKeyVariable));
    }

    internal static ConfigReadResult Read(string fixture)
    {
        var path = Path.Combine(TestPaths.Fixtures, fixture);
        return LiteLlmConfigReader.Read(File.ReadAllText(path), path, (name, _) =>
            name == "included_models.yaml" ? new IncludedConfigFile("included_models.yaml", File.ReadAllText(Path.Combine(TestPaths.Fixtures, IncludedFixture))) : null);
    }
}
