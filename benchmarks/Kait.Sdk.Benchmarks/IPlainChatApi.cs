using Refit;

namespace Kait.Sdk.Benchmarks;

/// <summary>The <c>Refit</c> peer: a plain Refit interface over the floor's wire types (Refit's source generator builds
/// its implementation in this project).</summary>
internal interface IPlainChatApi
{
    [Post("/v1/chat/completions")]
    Task<WireResponse> ChatAsync([Body] WireRequest request);
}
