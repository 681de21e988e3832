namespace Kait.Sdk.Hosting;

/// <summary>
/// Whether a proxy Kait did not start in this process may be sent the master key: it must be the proxy of the run record
/// (the recorded supervisor still runs as the recorded program and serves that port on this machine), or answer
/// <c>/health/readiness</c> with LiteLLM's shape (string <c>status</c> and <c>litellm_version</c>).
/// </summary>
internal static class ProxyIdentity
{
    /// <summary>Whether the run record under <paramref name="kaitHome"/> names a live Kait supervisor serving <paramref name="url"/>.</summary>
    public static bool IsRecordedProxy(string kaitHome, Uri url)
    {
        if (!url.IsLoopback)
        {
            return false;
        }

        var options = new LiteLlmProxyOptions { KaitHome = kaitHome };
        var record = ProxyRunRecord.Read(options.RunRecordPath);
        return record is not null && record.Port == url.Port && record.Check().Status == ProcessStatus.Running;
    }

    /// <summary>Whether a readiness reply has LiteLLM's shape.</summary>
    public static bool LooksLikeLiteLlm(LiteLlmProxyReadiness? readiness) =>
        readiness is { IsLiteLlm: true };
}
