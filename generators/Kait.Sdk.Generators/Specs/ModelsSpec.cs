namespace Kait.Sdk.Generators;

/// <summary>Everything the emitter needs; equatable, with no symbol or compilation in it.</summary>
internal sealed record ModelsSpec(
    string Namespace,
    bool IsPublic,
    string? ConfigFile,
    EquatableArray<AliasSpec> Aliases,
    EquatableArray<WildcardSpec> Wildcards,
    EquatableArray<DiagnosticInfo> Diagnostics);
