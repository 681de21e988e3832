namespace Kait.Sdk.Generators;

/// <summary>A YAML AdditionalFile: its path, its text, and whether Kait.Sdk.props marked it as the config.</summary>
internal sealed record YamlFile(string Path, string Text, bool IsMarkedConfig);
