using Microsoft.CodeAnalysis;

namespace Kait.Sdk.Generators.Tests;

/// <summary>Random and mutated YAML never crashes the generator: only KAIT diagnostics, always one compilable Models.</summary>
public sealed class FuzzTests
{
    private const string Noise = ":-[]{}\"'*&!|>#%@`,?\n\t \r\\<<~0123456789ab";

    [Fact]
    public void Mutated_real_configs_never_crash_the_generator()
    {
        var seeds = TestPaths.FixtureFiles().Append(TestPaths.DefaultConfig).Select(File.ReadAllText).ToArray();
        var random = new Random(20261125);
        for (var i = 0; i < 400; i++)
        {
            var text = Mutate(seeds[random.Next(seeds.Length)], random, random.Next(1, 6));
            AssertSurvives(text, compile: i % 20 == 0, $"iteration {i}");
        }
    }

    [Fact]
    public void Random_text_never_crashes_the_generator()
    {
        var random = new Random(42);
        for (var i = 0; i < 200; i++)
        {
            var chars = new char[random.Next(0, 300)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = random.Next(4) == 0 ? (char)random.Next(1, 0xD7FF) : Noise[random.Next(Noise.Length)];
            }

            AssertSurvives(new string(chars), compile: i % 25 == 0, $"iteration {i}");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("---")]
    [InlineData("model_list:")]
    [InlineData("model_list: 5")]
    [InlineData("model_list: [1, [2], {a: b}]")]
    [InlineData("- just\n- a list")]
    [InlineData("model_list:\n  - model_name: &a x\n    litellm_params: {model: *a}\n  - <<: {model_name: y, litellm_params: {model: gpt-4o}}")]
    [InlineData("model_list:\n  - model_name: [nested]\n    litellm_params: {model: gpt-4o}")]
    [InlineData("include: [self.yaml]")]
    [InlineData("router_settings: {model_group_alias: [1, 2]}")]
    [InlineData("a: *undefined")]
    [InlineData("model_list: &x\n  - model_name: a\n    litellm_params: {model: gpt-4o}\n    extra: *x")]
    [InlineData("a: &s [*s]\nb: {<<: *s}")]
    [InlineData("{[a]: b}")]
    public void Hostile_shapes_give_diagnostics_not_exceptions(string yaml) => AssertSurvives(yaml, compile: true, yaml);

    private static void AssertSurvives(string text, bool compile, string because)
    {
        var result = GeneratorHarness.Run([new ConfigFile("/project/config/litellm_config.yaml", text), new ConfigFile("/project/config/self.yaml", text, Marked: false)]);
        var run = result.RunResult.Results.Single();
        Assert.True(run.Exception is null, because + ": " + run.Exception);
        Assert.Single(run.GeneratedSources);
        Assert.All(result.GeneratorDiagnostics, d => Assert.StartsWith("KAIT", d.Id, StringComparison.Ordinal));
        Assert.DoesNotContain(result.GeneratorDiagnostics, d => d.Id == "KAIT013");
        if (compile)
        {
            Assert.True(result.CompileErrors.IsEmpty, because + ": " + string.Join("\n", result.CompileErrors));
        }
    }

    private static string Mutate(string text, Random random, int count)
    {
        var lines = text.Split('\n').ToList();
        for (var i = 0; i < count && lines.Count > 0; i++)
        {
            var at = random.Next(lines.Count);
            switch (random.Next(6))
            {
                case 0:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(at, lines[random.Next(lines.Count)]);
                    break;
                case 2:
                    var other = random.Next(lines.Count);
                    (lines[at], lines[other]) = (lines[other], lines[at]);
                    break;
                case 3:
                    var line = lines[at];
                    var pos = random.Next(line.Length + 1);
                    lines[at] = line[..pos] + Noise[random.Next(Noise.Length)] + line[pos..];
                    break;
                case 4:
                    lines[at] = new string(' ', random.Next(8)) + lines[at].TrimStart();
                    break;
                default:
                    lines[at] = lines[at].Length > 2 ? lines[at][..random.Next(lines[at].Length)] : lines[at];
                    break;
            }
        }

        return string.Join('\n', lines);
    }
}
