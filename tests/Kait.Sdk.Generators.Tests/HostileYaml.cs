namespace Kait.Sdk.Generators.Tests;

/// <summary>Hostile configs shared by the focused tests and the fuzz.</summary>
internal static class HostileYaml
{
    /// <summary>The payload of the issue: a line separator, then a member, then a comment that swallows the rest.</summary>
    public const string Injection = "public static int Injected = 42; //";

    /// <summary>The alias bomb: each level a list of <paramref name="fanOut"/> aliases of the one before, under a
    /// key the secret scan walks (the innermost level holds an <c>os.environ/</c> reference, so the old scan also
    /// collected one reference per path). About 700 bytes for 11 levels of nine.</summary>
    public static string AliasBomb(int levels = 11, int fanOut = 9, string under = "general_settings")
    {
        var lines = new List<string>
        {
            "model_list:",
            "  - model_name: ok",
            "    litellm_params: {model: openai/gpt-4o}",
            under + ":",
            "  l0: &l0 {api_key: os.environ/KEY}",
        };
        for (var i = 1; i < levels; i++)
        {
            lines.Add($"  l{i}: &l{i} [" + string.Join(", ", Enumerable.Repeat($"*l{i - 1}", fanOut)) + "]");
        }

        return string.Join("\n", lines) + "\n";
    }

    /// <summary>Each mapping merges the one before and adds a key: quadratic in the number of lines.</summary>
    public static string MergeChain(int count)
    {
        var lines = new List<string> { "general_settings:", "  m0: &m0 {k0: v}" };
        for (var i = 1; i < count; i++)
        {
            lines.Add($"  m{i}: &m{i} {{<<: *m{i - 1}, k{i}: v}}");
        }

        return string.Join("\n", lines) + "\n";
    }

    /// <summary>Each list holds the one before: shallow as written, <paramref name="count"/> deep once aliases are followed.</summary>
    public static string AliasChain(int count)
    {
        var builder = new System.Text.StringBuilder("general_settings:\n  a0: &a0 [x]\n");
        for (var i = 1; i < count; i++)
        {
            builder.Append("  a").Append(i).Append(": &a").Append(i).Append(" [*a").Append(i - 1).Append("]\n");
        }

        return builder.ToString();
    }

    /// <summary>The 1-based line of the first line starting with <paramref name="prefix"/>.</summary>
    public static int LineOf(string yaml, string prefix) =>
        yaml.Split('\n').Select((line, i) => (line, i)).First(x => x.line.StartsWith(prefix, StringComparison.Ordinal)).i + 1;
}
