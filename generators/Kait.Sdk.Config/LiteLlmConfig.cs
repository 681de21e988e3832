using System.Collections.Generic;

namespace Kait.Sdk.Config;

/// <summary>What Kait reads from a LiteLLM proxy config: the same aliases LiteLLM itself serves.</summary>
internal sealed record LiteLlmConfig
{
    /// <summary>An empty config (no file, or one that does not parse).</summary>
    public static LiteLlmConfig Empty { get; } = new LiteLlmConfig();

    /// <summary>The file it was read from.</summary>
    public string File { get; init; } = string.Empty;

    /// <summary>Aliases in file order: distinct <c>model_name</c>s, then <c>model_group_alias</c> keys.</summary>
    public IReadOnlyList<AliasDefinition> Aliases { get; init; } = System.Array.Empty<AliasDefinition>();

    /// <summary>Wildcard groups in file order.</summary>
    public IReadOnlyList<WildcardDefinition> Wildcards { get; init; } = System.Array.Empty<WildcardDefinition>();

    /// <summary>The names in the top-level <c>include:</c> list.</summary>
    public IReadOnlyList<string> Includes { get; init; } = System.Array.Empty<string>();

    /// <summary>Every <c>os.environ/NAME</c> reference, in file order.</summary>
    public IReadOnlyList<EnvironmentReference> EnvironmentReferences { get; init; } = System.Array.Empty<EnvironmentReference>();

    /// <summary>Proxy-wide settings.</summary>
    public LiteLlmSettings Settings { get; init; } = new LiteLlmSettings();
}
