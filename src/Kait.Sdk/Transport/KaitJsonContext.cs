using System.Text.Json.Serialization;
using Kait.Sdk.Transport.Dtos;

namespace Kait.Sdk.Transport;

/// <summary>Source-generated JSON for every wire type: snake_case, nulls omitted, unknown fields ignored.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString)]
[JsonSerializable(typeof(OpenAIChatRequest))]
[JsonSerializable(typeof(OpenAIChatResponse))]
[JsonSerializable(typeof(OpenAIEmbeddingRequest))]
[JsonSerializable(typeof(OpenAIEmbeddingResponse))]
[JsonSerializable(typeof(OpenAIModelList))]
[JsonSerializable(typeof(ProxyModelInfoList))]
[JsonSerializable(typeof(ProxyReadinessBody))]
[JsonSerializable(typeof(ProxyDailyActivityBody))]
[JsonSerializable(typeof(ProxyKeyGenerateRequest))]
[JsonSerializable(typeof(ProxyKeyGenerateResponse))]
[JsonSerializable(typeof(ProxyKeyInfoBody))]
[JsonSerializable(typeof(ProxyKeyDeleteRequest))]
[JsonSerializable(typeof(ProxyKeyDeleteResponse))]
[JsonSerializable(typeof(AnthropicMessagesRequest))]
[JsonSerializable(typeof(AnthropicMessagesResponse))]
[JsonSerializable(typeof(AnthropicStreamEvent))]
internal sealed partial class KaitJsonContext : JsonSerializerContext
{
}
