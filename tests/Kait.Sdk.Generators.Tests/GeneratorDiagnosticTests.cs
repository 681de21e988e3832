using Microsoft.CodeAnalysis;

namespace Kait.Sdk.Generators.Tests;

/// <summary>Each KAIT diagnostic at its real place in the YAML, with the build outcome a user would see.</summary>
public sealed class GeneratorDiagnosticTests
{
    [Fact]
    public void KAIT001_invalid_yaml_is_an_error_at_the_parsers_line_and_Models_still_compiles()
    {
        var result = GeneratorHarness.Run(BaselineTests.Files("litellm__proxy__proxy_config.yaml"));
        var d = Assert.Single(result.Kait("KAIT001"));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        var span = d.Location.GetLineSpan();
        Assert.Equal("/project/fixtures/litellm__proxy__proxy_config.yaml", span.Path);
        Assert.InRange(span.StartLinePosition.Line + 1, 33, 35); // PyYAML says line 34
        Assert.Contains("not valid YAML", d.GetMessage(), StringComparison.Ordinal);
        Assert.Empty(result.CompileErrors); // an empty Models, so the rest of the project still binds
    }

    [Fact]
    public void KAIT002_entry_without_model_is_an_error_at_the_entry()
    {
        var result = GeneratorHarness.Run(BaselineTests.Files("tests__local_testing__example_config_yaml__langfuse_config.yaml"));
        var d = Assert.Single(result.Kait("KAIT002"));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal(2, d.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Contains("gpt-3.5-turbo", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void KAIT003_two_aliases_on_one_identifier_name_both_and_keep_both_callable()
    {
        const string yaml = """
            model_list:
              - model_name: gpt-4o
                litellm_params: { model: openai/gpt-4o }
              - model_name: gpt.4o
                litellm_params: { model: openai/gpt-4o }
            """;
        var result = GeneratorHarness.RunOn(yaml, sources: "static class P { static object A => Consumer.Models.Gpt4o; static bool B => Consumer.Models.TryGet(\"gpt.4o\", out _); static int C => Consumer.Models.All.Count; }");
        var d = Assert.Single(result.Kait("KAIT003"));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("'gpt-4o'", d.GetMessage(), StringComparison.Ordinal);
        Assert.Contains("'gpt.4o'", d.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(4, d.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Empty(result.CompileErrors);
        Assert.Contains("\"gpt.4o\" => __Unnamed1", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void KAIT004_literal_key_warns_without_the_value_and_no_key_reaches_generated_code()
    {
        const string yaml = """
            model_list:
              - model_name: leaky
                litellm_params:
                  model: openai/gpt-4o
                  api_key: sk-live-SECRET123
            general_settings:
              master_key: sk-master-SECRET456
            """;
        var result = GeneratorHarness.RunOn(yaml);
        var warnings = result.Kait("KAIT004").ToArray();
        Assert.Equal([5, 7], warnings.Select(w => w.Location.GetLineSpan().StartLinePosition.Line + 1));
        Assert.All(warnings, w => Assert.Equal(DiagnosticSeverity.Warning, w.Severity));
        Assert.All(warnings, w => Assert.DoesNotContain("SECRET", w.GetMessage(), StringComparison.Ordinal));
        Assert.Contains("os.environ/NAME", warnings[0].GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void KAIT004_prices_and_limits_under_model_info_and_litellm_params_are_not_secrets()
    {
        const string yaml = """
            model_list:
              - model_name: priced
                litellm_params:
                  model: openai/gpt-4o
                  api_key: os.environ/OPENAI_API_KEY
                  input_cost_per_token: 0.0000025
                  output_cost_per_token: "0.00001"
                  max_tokens: 4096
                  rpm: 500
                  tpm: 200000
                model_info:
                  input_cost_per_token: 2.5e-6
                  output_cost_per_token: 1e-5
                  input_cost_per_token_batches: 0.00000125
                  output_cost_per_token_batches: 0.000005
                  cache_read_input_token_cost: 0.00000125
                  cache_creation_input_token_cost: 0.000003
                  max_input_tokens: 128000
                  max_output_tokens: 16_384
                  max_tokens: 16384
            """;
        var result = GeneratorHarness.RunOn(yaml);
        Assert.Empty(result.Kait("KAIT004"));
        Assert.Empty(result.GeneratorDiagnostics);
        Assert.Contains("InputCostPerToken = 0.0000025m", result.Source, StringComparison.Ordinal);
        Assert.Contains("CacheReadInputTokenCost = 0.00000125m", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void KAIT004_literal_api_key_still_warns_and_environment_references_do_not()
    {
        const string yaml = """
            model_list:
              - model_name: leaky
                litellm_params:
                  model: openai/gpt-4o
                  api_key: sk-proj-SECRET789
                  input_cost_per_token: 0.0000025
              - model_name: safe
                litellm_params:
                  model: anthropic/claude-haiku-4-5-20251001
                  api_key: os.environ/ANTHROPIC_API_KEY
                  aws_secret_access_key: os.environ/AWS_SECRET_ACCESS_KEY
                  output_cost_per_token: 0.000005
            """;
        var result = GeneratorHarness.RunOn(yaml);
        var warning = Assert.Single(result.Kait("KAIT004"));
        Assert.Equal(5, warning.Location.GetLineSpan().StartLinePosition.Line + 1);
        Assert.Contains("api_key", warning.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", warning.GetMessage(), StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET789", result.Source, StringComparison.Ordinal);
        Assert.Contains("ANTHROPIC_API_KEY", result.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("api_key", "sk-abc123", true)]
    [InlineData("token", "tok-abc123", true)]
    [InlineData("access_token", "ya29.abc", true)]
    [InlineData("auth_token", "abc", true)]
    [InlineData("aws_secret_access_key", "wJalrXUtnFEMI", true)]
    [InlineData("aws_access_key_id", "AKIAABC", true)]
    [InlineData("master_key", "sk-1234", true)]
    [InlineData("api_key", "os.environ/OPENAI_API_KEY", false)]
    [InlineData("token", "os.environ/HF_TOKEN", false)]
    [InlineData("input_cost_per_token", "0.000421", false)]
    [InlineData("output_cost_per_token", "\"0.000520\"", false)]
    [InlineData("input_cost_per_token_batches", "0.0000005", false)]
    [InlineData("cache_read_input_token_cost", "3e-7", false)]
    [InlineData("cache_creation_input_token_cost", "0.00000375", false)]
    [InlineData("max_tokens", "4096", false)]
    [InlineData("max_input_tokens", "200000", false)]
    [InlineData("max_output_tokens", "8192", false)]
    [InlineData("api_key", "12345", false)]
    public void KAIT004_flags_string_secrets_under_secret_keys_only(string key, string value, bool secret)
    {
        var yaml = "model_list:\n  - model_name: m\n    litellm_params:\n      model: openai/gpt-4o\n      " + key + ": " + value + "\n";
        var result = Kait.Sdk.Config.LiteLlmConfigReader.Read(yaml, "/project/config/litellm_config.yaml");
        var warnings = result.Diagnostics.Where(d => d.Id == "KAIT004").ToArray();
        Assert.Equal(secret ? 1 : 0, warnings.Length);
        Assert.All(warnings, w => Assert.Equal(5, w.Location.Line));
        Assert.All(warnings, w => Assert.Contains(key, w.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void KAIT005_duplicate_key_is_a_warning_at_the_second_key()
    {
        var result = GeneratorHarness.Run(BaselineTests.Files("tests__proxy_unit_tests__example_config_yaml__config_with_env_vars.yaml"));
        var d = Assert.Single(result.Kait("KAIT005"));
        Assert.Equal(DiagnosticSeverity.Warning, d.Severity);
        Assert.Empty(result.CompileErrors);
    }

    [Fact]
    public void KAIT006_no_config_is_info_and_the_build_gets_an_empty_Models()
    {
        var result = GeneratorHarness.Run([], null, "static class P { static int N => Consumer.Models.All.Count; }");
        var d = Assert.Single(result.Kait("KAIT006"));
        Assert.Equal(DiagnosticSeverity.Info, d.Severity);
        Assert.Equal(Location.None, d.Location);
        Assert.Empty(result.CompileErrors);
        Assert.Contains("0 aliases", result.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void KAIT008_group_alias_to_an_unknown_group_suggests_the_nearest()
    {
        const string yaml = """
            model_list:
              - model_name: claude-fast
                litellm_params: { model: anthropic/claude-haiku-4-5-20251001 }
            router_settings:
              model_group_alias: { "quick": "claude-fsat" }
            """;
        var result = GeneratorHarness.RunOn(yaml);
        var d = Assert.Single(result.Kait("KAIT008"));
        Assert.Contains("Did you mean 'claude-fast'?", d.GetMessage(), StringComparison.Ordinal);
        Assert.Equal(5, d.Location.GetLineSpan().StartLinePosition.Line + 1);
    }

    [Fact]
    public void KAIT009_include_that_is_not_an_additional_file_is_an_error()
    {
        var files = BaselineTests.Files("tests__proxy_unit_tests__example_config_yaml__config_with_include.yaml").Take(1);
        var result = GeneratorHarness.Run(files);
        var d = Assert.Single(result.Kait("KAIT009"));
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Contains("included_models.yaml", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Include_given_as_additional_file_gives_its_aliases()
    {
        var result = GeneratorHarness.Run(
            BaselineTests.Files("tests__proxy_unit_tests__example_config_yaml__config_with_include.yaml"),
            null,
            "static class P { static object M => Consumer.Models.IncludedModel; }");
        Assert.Empty(result.Kait("KAIT009"));
        Assert.Empty(result.CompileErrors);
    }

    [Fact]
    public void KAIT012_several_unmarked_configs_pick_one_and_warn()
    {
        var result = GeneratorHarness.Run(
        [
            new ConfigFile("/project/a/litellm_config.yaml", "model_list: []", Marked: false),
            new ConfigFile("/project/b/litellm_config.yaml", "model_list: []", Marked: false),
        ]);
        var d = Assert.Single(result.Kait("KAIT012"));
        Assert.Contains("a/litellm_config.yaml", d.GetMessage(), StringComparison.Ordinal);
    }

    [Fact]
    public void Unmarked_litellm_config_is_found_by_name_and_other_yaml_is_ignored()
    {
        var result = GeneratorHarness.Run(
        [
            new ConfigFile("/project/docker-compose.yaml", "services: {}", Marked: false),
            new ConfigFile("/project/litellm_config.yml", "model_list: [{model_name: x1, litellm_params: {model: gpt-4o}}]", Marked: false),
        ], null, "static class P { static object M => Consumer.Models.X1; }");
        Assert.Empty(result.CompileErrors);
        Assert.Empty(result.GeneratorDiagnostics);
    }
}
