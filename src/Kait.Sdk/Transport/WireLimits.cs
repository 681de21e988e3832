namespace Kait.Sdk.Transport;

/// <summary>What Kait accepts from a server (see <c>docs/security.md</c>): a reply that exceeds a limit is a
/// <see cref="ProviderUnavailableException"/> naming it, read no further.</summary>
/// <param name="MaxResponseBytes">The most bytes of a reply body, whole or streamed.</param>
/// <param name="MaxEventBytes">The most bytes of one server-sent event.</param>
/// <param name="StreamIdleTimeout">The longest silence between two events of a stream.</param>
internal sealed record WireLimits(long MaxResponseBytes, int MaxEventBytes, TimeSpan StreamIdleTimeout)
{
    /// <summary>64 MiB a reply (a large embeddings batch fits), 4 MiB an event, 2 minutes of silence.</summary>
    public static WireLimits Default { get; } = new(64L * 1024 * 1024, 4 * 1024 * 1024, TimeSpan.FromMinutes(2));
}
