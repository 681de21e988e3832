using System.Text.Json;

namespace Kait.Sdk;

/// <summary>A tool (function) the model may call.</summary>
/// <param name="Name">The tool's name.</param>
/// <param name="Description">What it does, for the model; null for none.</param>
/// <param name="ParametersSchema">The JSON schema of its arguments (an object schema).</param>
public sealed record LlmTool(string Name, string? Description, JsonElement ParametersSchema);
