namespace Kait.Sdk.Generators;

/// <summary>The MSBuild properties the generator reads (made compiler-visible by Kait.Sdk.props).</summary>
internal sealed record GeneratorOptions(string Namespace, bool IsPublic, string? ConfigFile, string? ProjectDirectory);
