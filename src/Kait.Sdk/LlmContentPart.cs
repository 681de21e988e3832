namespace Kait.Sdk;

/// <summary>What a <see cref="LlmContentPart"/> holds.</summary>
public enum LlmContentPartKind
{
    /// <summary>Text.</summary>
    Text,

    /// <summary>An image, by URL or as base64 data.</summary>
    Image,
}

/// <summary>One part of a multi-part message: text, or an image given by URL or as base64 data.</summary>
public sealed record LlmContentPart
{
    private LlmContentPart(LlmContentPartKind kind)
    {
        Kind = kind;
    }

    /// <summary>Text or image.</summary>
    public LlmContentPartKind Kind { get; }

    /// <summary>The text of a text part.</summary>
    public string? Text { get; private init; }

    /// <summary>The URL of an image given by URL (<c>https:</c>; a <c>data:</c> URL is split into
    /// <see cref="MediaType"/> and <see cref="Base64Data"/>).</summary>
    public Uri? ImageUrl { get; private init; }

    /// <summary>The base64 data of an inline image.</summary>
    public string? Base64Data { get; private init; }

    /// <summary>The media type of an inline image (<c>image/png</c>).</summary>
    public string? MediaType { get; private init; }

    /// <summary>A text part.</summary>
    /// <param name="text">The text.</param>
    public static LlmContentPart FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new LlmContentPart(LlmContentPartKind.Text) { Text = text };
    }

    /// <summary>An image given by URL.</summary>
    /// <param name="url">The image's URL.</param>
    public static LlmContentPart FromImageUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return new LlmContentPart(LlmContentPartKind.Image) { ImageUrl = url };
    }

    /// <summary>An inline image.</summary>
    /// <param name="data">The image bytes.</param>
    /// <param name="mediaType">Their media type (<c>image/png</c>, <c>image/jpeg</c>, <c>image/gif</c>, <c>image/webp</c>).</param>
    public static LlmContentPart FromImageData(ReadOnlyMemory<byte> data, string mediaType) =>
        FromImageBase64(Convert.ToBase64String(data.Span), mediaType);

    /// <summary>An inline image already in base64.</summary>
    /// <param name="base64Data">The base64 data.</param>
    /// <param name="mediaType">Its media type.</param>
    public static LlmContentPart FromImageBase64(string base64Data, string mediaType)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(base64Data);
        ArgumentException.ThrowIfNullOrWhiteSpace(mediaType);
        return new LlmContentPart(LlmContentPartKind.Image) { Base64Data = base64Data, MediaType = mediaType };
    }

    /// <summary>The image as a URL: <see cref="ImageUrl"/>, or a <c>data:</c> URL of the inline data.</summary>
    public string? ImageUrlOrDataUri => ImageUrl?.OriginalString
        ?? (Base64Data is not null ? "data:" + MediaType + ";base64," + Base64Data : null);
}
