using Kait.Sdk.Translation;

namespace Kait.Sdk.Tests;

public sealed class ToolCallAssemblerTests
{
    [Fact]
    public void Fragments_by_index_interleaved_assemble_in_start_order()
    {
        var assembler = new ToolCallAssembler();
        assembler.Add(0, "call_a", "first", string.Empty);
        assembler.Add(1, "call_b", "second", "{\"x\":");
        assembler.Add(0, null, null, "{\"y\":2}");
        assembler.Add(1, null, null, "1}");

        Assert.Equal([new LlmToolCall("call_a", "first", "{\"y\":2}"), new LlmToolCall("call_b", "second", "{\"x\":1}")], assembler.ToCalls());
    }

    [Fact]
    public void Fragments_without_an_index_continue_the_last_call_until_a_new_id_starts_one()
    {
        var assembler = new ToolCallAssembler();
        assembler.Add(null, "call_a", "first", "{\"a\"");
        assembler.Add(null, "call_a", null, ":1}");
        assembler.Add(null, "call_b", "second", null);

        Assert.Equal([new LlmToolCall("call_a", "first", "{\"a\":1}"), new LlmToolCall("call_b", "second", "{}")], assembler.ToCalls());
    }

    [Fact]
    public void Repeated_ids_and_names_on_later_fragments_are_not_appended()
    {
        var assembler = new ToolCallAssembler();
        assembler.Add(0, "call_a", "get", "{");
        assembler.Add(0, "call_a", "get", "}");

        Assert.Equal([new LlmToolCall("call_a", "get", "{}")], assembler.ToCalls());
    }

    [Fact]
    public async Task Malformed_tool_arguments_for_Anthropic_fail_with_a_clear_message()
    {
        await using var route = await RichRoute.StartAsync("claude");
        LlmMessage[] messages = [LlmMessage.User("Hi"), LlmMessage.AssistantToolCalls([new LlmToolCall("t1", "get", "not json")]), LlmMessage.ToolResult("t1", "ok")];

        var error = await Assert.ThrowsAsync<ArgumentException>(() => route.Gateway.ChatAsync(route.Alias, messages));

        Assert.Contains("'t1'", error.Message, StringComparison.Ordinal);
        Assert.Empty(route.Fake.Requests);
    }
}
