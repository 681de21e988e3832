namespace Kait.Sdk.Transport;

/// <summary>What Kait accepts from a server (see <c>docs/security.md</c>): a reply that exceeds a limit is a
/// <see cref="ProviderUnavailableException"/> naming it, read no further.</summary>
/// <param name="MaxResponseBytes">The most bytes of a reply body, whole or streamed.</param>
/// <param name="MaxEventBytes">The most bytes of one server-sent event.</param>
/// <param name="StreamIdleTimeout">The longest silence between two events of a stream.</param>
internal sealed record WireLimits(long MaxResponseBytes, int MaxEventBytes, TimeSpan StreamIdleTimeout)
{
    /// <summary>The limits a user set; a limit that is not positive is an error naming the setting.</summary>
    public static WireLimits From(KaitResilienceOptions options)
    {
        if (options.MaxResponseBytes <= 0 || options.MaxEventBytes <= 0 || options.StreamIdleTimeout <= TimeSpan.Zero)
        {
            throw new KaitConfigurationException(
                "Kait:Resilience:MaxResponseBytes, MaxEventBytes and StreamIdleTimeout must be positive (a limit of 0 would refuse every reply; there is no 'no limit').")
            {
                Variable = "Kait:Resilience",
            };
        }

        return new(options.MaxResponseBytes, options.MaxEventBytes, options.StreamIdleTimeout);
    }
}
