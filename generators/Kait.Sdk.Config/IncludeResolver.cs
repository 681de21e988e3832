namespace Kait.Sdk.Config;

/// <summary>A file named by a top-level <c>include:</c>, handed over by the caller (the reader does no file I/O).</summary>
/// <param name="Path">The file's path, used in diagnostics.</param>
/// <param name="Text">Its text.</param>
internal sealed record IncludedConfigFile(string Path, string Text);

/// <summary>Finds the text of an included file: <paramref name="includeName"/> as written in <paramref name="includingFile"/>.
/// Returns null when there is no such file.</summary>
internal delegate IncludedConfigFile? IncludeResolver(string includeName, string includingFile);
