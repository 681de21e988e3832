namespace Kait.Sdk.Testing;

/// <summary>A tool call a fake answers with (OpenAI's <c>tool_calls</c>; Anthropic's <c>tool_use</c> block).</summary>
/// <param name="Id">The call id (<c>call_1</c>, <c>toolu_01...</c>).</param>
/// <param name="Name">The tool's name.</param>
/// <param name="ArgumentsJson">The arguments, a JSON object as text.</param>
public sealed record FakeToolCall(string Id, string Name, string ArgumentsJson);
