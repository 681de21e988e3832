namespace Kait.Sdk.Generators;

/// <summary>One wildcard group.</summary>
internal sealed record WildcardSpec(string Pattern, EquatableArray<DeploymentSpec> Deployments);
