namespace Kait.Sdk.Hosting;

/// <summary>Where a <see cref="LiteLlmProxyService"/> stands.</summary>
public enum LiteLlmProxyState
{
    /// <summary>Not started yet, or stopped.</summary>
    Stopped,

    /// <summary><c>KAIT_LITELLM_ENABLED</c> is not true: nothing is started.</summary>
    Disabled,

    /// <summary>The proxy was launched and is not ready yet.</summary>
    Starting,

    /// <summary>The proxy this service started answers its readiness check.</summary>
    Running,

    /// <summary>A healthy proxy that this service did not start serves the port; it is left alone.</summary>
    External,

    /// <summary>The proxy crashed and is waiting for its restart.</summary>
    Restarting,

    /// <summary>The proxy could not be started or crashed too often; see <see cref="LiteLlmProxyService.LastError"/>.</summary>
    Failed,
}
