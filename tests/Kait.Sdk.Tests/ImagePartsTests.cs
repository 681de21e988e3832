using Kait.Sdk.Testing;
using Microsoft.Extensions.AI;

namespace Kait.Sdk.Tests;

public sealed class ImagePartsTests
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public async Task Image_parts_reach_Anthropic_as_image_blocks_with_url_and_base64_sources()
    {
        await using var route = await RichRoute.StartAsync("claude");
        var message = LlmMessage.User(
            LlmContentPart.FromText("What is in these?"),
            LlmContentPart.FromImageUrl(new Uri("https://example.com/cat.png")),
            LlmContentPart.FromImageData(Png, "image/png"));

        await route.Gateway.ChatAsync(route.Alias, [LlmMessage.System("Describe."), message]);

        var content = Assert.Single(route.Fake.Requests).Json().GetProperty("messages")[0].GetProperty("content");
        Assert.Equal(3, content.GetArrayLength());
        Assert.Equal("text", content[0].GetProperty("type").GetString());
        Assert.Equal("What is in these?", content[0].GetProperty("text").GetString());
        Assert.Equal("image", content[1].GetProperty("type").GetString());
        Assert.Equal("url", content[1].GetProperty("source").GetProperty("type").GetString());
        Assert.Equal("https://example.com/cat.png", content[1].GetProperty("source").GetProperty("url").GetString());
        Assert.Equal("image", content[2].GetProperty("type").GetString());
        Assert.Equal("base64", content[2].GetProperty("source").GetProperty("type").GetString());
        Assert.Equal("image/png", content[2].GetProperty("source").GetProperty("media_type").GetString());
        Assert.Equal(Convert.ToBase64String(Png), content[2].GetProperty("source").GetProperty("data").GetString());
    }

    [Theory]
    [InlineData("proxy")]
    [InlineData("openai")]
    public async Task Image_parts_reach_OpenAI_shaped_routes_as_image_url_parts(string routeName)
    {
        await using var route = await RichRoute.StartAsync(routeName);
        var message = LlmMessage.User(LlmContentPart.FromText("Look"), LlmContentPart.FromImageUrl(new Uri("https://example.com/cat.png")), LlmContentPart.FromImageData(Png, "image/png"));

        await route.Gateway.ChatAsync(route.Alias, [message]);

        var content = Assert.Single(route.Fake.Requests).Json().GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("text", content[0].GetProperty("type").GetString());
        Assert.Equal("image_url", content[1].GetProperty("type").GetString());
        Assert.Equal("https://example.com/cat.png", content[1].GetProperty("image_url").GetProperty("url").GetString());
        Assert.Equal("data:image/png;base64," + Convert.ToBase64String(Png), content[2].GetProperty("image_url").GetProperty("url").GetString());
    }

    [Fact]
    public async Task IChatClient_data_and_uri_contents_become_Anthropic_image_blocks()
    {
        await using var route = await RichRoute.StartAsync("claude");
        using var client = route.Gateway.AsChatClient(route.Alias);

        await client.GetResponseAsync(new ChatMessage(ChatRole.User,
        [
            new TextContent("And this?"),
            new DataContent(Png, "image/png"),
            new UriContent(new Uri("https://example.com/dog.jpg"), "image/jpeg"),
        ]));

        var content = Assert.Single(route.Fake.Requests).Json().GetProperty("messages")[0].GetProperty("content");
        Assert.Equal("And this?", content[0].GetProperty("text").GetString());
        Assert.Equal("base64", content[1].GetProperty("source").GetProperty("type").GetString());
        Assert.Equal(Convert.ToBase64String(Png), content[1].GetProperty("source").GetProperty("data").GetString());
        Assert.Equal("https://example.com/dog.jpg", content[2].GetProperty("source").GetProperty("url").GetString());
    }

    [Fact]
    public async Task A_plain_text_message_keeps_its_string_content()
    {
        await using var route = await RichRoute.StartAsync("claude");

        await route.Gateway.ChatAsync(route.Alias, TestData.Hello);

        Assert.Equal("Hello!", Assert.Single(route.Fake.Requests).Json().GetProperty("messages")[0].GetProperty("content").GetString());
    }
}
