namespace Kait.Sdk;

/// <summary>A tool call the model asked for (an assistant message's, or a result's).</summary>
/// <param name="Id">The call's id; a tool result answers it with <see cref="LlmMessage.ToolCallId"/>.</param>
/// <param name="Name">The tool's name.</param>
/// <param name="ArgumentsJson">The arguments, a JSON object as text (<c>{"city":"Paris"}</c>).</param>
public sealed record LlmToolCall(string Id, string Name, string ArgumentsJson);
