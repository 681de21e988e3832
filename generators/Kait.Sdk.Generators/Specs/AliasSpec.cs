namespace Kait.Sdk.Generators;

/// <summary>One alias: its name, its member name (null: no member, see KAIT003/KAIT010), where it is defined.</summary>
internal sealed record AliasSpec(string Name, string? Identifier, string? GroupAliasTarget, string SourceFile, int Line, EquatableArray<DeploymentSpec> Deployments);
