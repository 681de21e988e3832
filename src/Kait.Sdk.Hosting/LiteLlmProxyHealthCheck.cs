using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Kait.Sdk.Hosting;

/// <summary>
/// Reports the supervised proxy's health to ASP.NET Core / generic-host health checks:
/// healthy when disabled or when <c>/health/readiness</c> answers; degraded while starting or restarting, or alive but not ready;
/// unhealthy when it failed or does not answer (the description then names the log and quotes its last lines).
/// Register it with <c>services.AddHealthChecks().AddCheck&lt;LiteLlmProxyHealthCheck&gt;("litellm")</c>.
/// </summary>
/// <param name="service">The supervised proxy.</param>
public sealed class LiteLlmProxyHealthCheck(LiteLlmProxyService service) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var data = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["state"] = service.State.ToString(),
            ["port"] = service.Options.Port,
            ["restarts"] = service.RestartCount,
            ["log"] = service.Options.LogFilePath,
        };
        if (service.ProcessId is int pid)
        {
            data["pid"] = pid;
        }

        switch (service.State)
        {
            case LiteLlmProxyState.Disabled:
                return HealthCheckResult.Healthy("LiteLLM proxy disabled (KAIT_LITELLM_ENABLED is not true).", data);
            case LiteLlmProxyState.Stopped:
                return HealthCheckResult.Unhealthy("LiteLLM proxy is not running." + Tail(), data: data);
            case LiteLlmProxyState.Failed:
                return HealthCheckResult.Unhealthy(service.LastError ?? ("LiteLLM proxy failed." + Tail()), data: data);
            case LiteLlmProxyState.Starting:
            case LiteLlmProxyState.Restarting:
                return HealthCheckResult.Degraded($"LiteLLM proxy is {service.State.ToString().ToLowerInvariant()} (restarts so far: {service.RestartCount.ToString(CultureInfo.InvariantCulture)}).", data: data);
        }

        var report = await service.ProbeAsync(cancellationToken).ConfigureAwait(false);
        data["readiness"] = report.Detail;
        if (report.Version is not null)
        {
            data["litellm_version"] = report.Version;
        }

        var owner = service.State == LiteLlmProxyState.External ? " (not started by Kait)" : string.Empty;
        if (report.Ready)
        {
            return HealthCheckResult.Healthy($"LiteLLM proxy ready on port {service.Options.Port.ToString(CultureInfo.InvariantCulture)}{owner}.", data);
        }

        return report.Alive
            ? HealthCheckResult.Degraded($"LiteLLM proxy on port {service.Options.Port.ToString(CultureInfo.InvariantCulture)}{owner} is alive but not ready ({report.Detail}).", data: data)
            : HealthCheckResult.Unhealthy($"LiteLLM proxy on port {service.Options.Port.ToString(CultureInfo.InvariantCulture)}{owner} does not answer ({report.Detail})." + Tail(), data: data);
    }

    private string Tail() => LogTail.Describe(service.Options.LogFilePath, service.ReadLogTail(service.Options.FailureLogLines));
}
