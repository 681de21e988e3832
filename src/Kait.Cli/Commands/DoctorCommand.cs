using System.CommandLine;
using Kait.Cli.Output;
using Kait.Sdk;
using Kait.Sdk.Config;
using Kait.Sdk.Costs;
using Kait.Sdk.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console;

namespace Kait.Cli.Commands;

/// <summary><c>kait doctor</c>: the config, each alias's key variable, the proxy and its master key, the ledger — a ✓/✗
/// table with the fix for every ✗; exit 0 only when all pass. Each proxy probe is bounded (<c>--timeout</c>, 5 s); the master
/// key is sent only to a LiteLLM proxy; credentials inside URLs are never printed.</summary>
internal static class DoctorCommand
{
    public static Command Create(CliContext context)
    {
        var timeoutOption = new Option<int>("--timeout")
        {
            Description = "Seconds each proxy probe may take (default 5)",
            DefaultValueFactory = _ => DefaultProbeSeconds,
        };
        timeoutOption.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 300)
            {
                result.AddError("--timeout must be from 1 to 300 seconds.");
            }
        });
        var command = new Command("doctor", "Check the config, keys, proxy and ledger, with the fix for each problem") { timeoutOption };
        command.SetAction(async (parse, ct) =>
        {
            var checks = new List<Check>();
            await using var services = CliServices.Build(context, parse.GetValue(KaitCli.ConfigOption), parse.GetValue(KaitCli.VerboseOption));
            var options = services.GetRequiredService<IOptions<KaitOptions>>().Value;

            // 1. The config, with the build's own words (the KAIT diagnostics).
            LiteLlmConfig? config = null;
            var paths = services.GetRequiredService<KaitPaths>();
            var file = paths.FindConfigFile();
            if (file is null)
            {
                checks.Add(Check.Fail("config", "no LiteLLM config found", "add config/litellm_config.yaml, or set KAIT_CONFIG / --config"));
            }
            else
            {
                // The run-time reader: regular files of at most 1 MiB, includes only inside the config's directory.
                var result = Kait.Sdk.Routing.RuntimeCatalogLoader.Read(file, ct);
                config = result.Config;
                var errors = result.Diagnostics.Where(d => d.Severity == ConfigSeverity.Error).ToArray();
                checks.Add(errors.Length == 0
                    ? Check.Pass("config", $"{file}: {config.Aliases.Count} aliases" + Warnings(result))
                    : Check.Fail("config", string.Join("; ", errors.Select(e => e.ToString())), "fix the YAML at the line named"));
            }

            // 2. Each alias: its provider and whether its key variable is set (never the value).
            foreach (var alias in config is null ? [] : ModelCatalog.FromConfig(config).Aliases)
            {
                // The deployment the direct route would use, as the gateway picks it; else the first one.
                var bridgeable = Kait.Sdk.Routing.DirectRouteResolver.FirstBridgeable(alias.Deployments);
                var d = bridgeable ?? (alias.Deployments.Count > 0 ? alias.Deployments[0] : null);
                var bridged = bridgeable is not null;
                var what = $"{d?.Model ?? "no deployment"}";
                if (options.Proxy.Enabled)
                {
                    checks.Add(Check.NotApplicable("alias " + alias.Name, what + " (via the proxy, which holds the keys)"));
                }
                else if (!bridged)
                {
                    checks.Add(Check.NotApplicable("alias " + alias.Name, what + $" ({d?.Provider ?? "unknown provider"}: proxy only; set KAIT_LITELLM_ENABLED=true to use it)"));
                }
                else if (d!.ApiKeyVariable is { } variable && context.Environment.Get(variable) is null)
                {
                    checks.Add(Check.Fail("alias " + alias.Name, what + $": {variable} is not set", $"export {variable}=... (or put it in .env)"));
                }
                else
                {
                    checks.Add(Check.Pass("alias " + alias.Name, what + (d.ApiKeyVariable is null ? string.Empty : $": {d.ApiKeyVariable} is set")));
                }
            }

            // 3 and 4. The proxy, and whether it takes the master key: each probe bounded, the key only for a LiteLLM proxy.
            if (options.Proxy.Enabled)
            {
                var proxy = services.GetRequiredService<LiteLlmProxyClient>();
                var url = UrlRedaction.Redact(options.Proxy.BaseUrl);
                var bound = TimeSpan.FromSeconds(parse.GetValue(timeoutOption));
                var seconds = $"{bound.TotalSeconds:0.#} s";
                var (alive, silent) = await WithinAsync(proxy.IsAliveAsync, bound, ct).ConfigureAwait(false);
                if (silent)
                {
                    checks.Add(Check.Fail("proxy", $"{url} accepted the connection but did not answer within {seconds}", $"restart it: kait proxy stop && kait proxy start (see {paths.ProxyLogFile})"));
                }
                else if (!alive)
                {
                    checks.Add(Check.Fail("proxy", $"{url} does not answer", $"kait proxy start (see {paths.ProxyLogFile})"));
                }
                else
                {
                    // Before the master key goes anywhere: is it LiteLLM (Kait's recorded proxy, or LiteLLM's readiness reply)?
                    LiteLlmProxyReadiness? readiness = null;
                    string? why = null;
                    try
                    {
                        (readiness, silent) = await WithinAsync(proxy.GetReadinessAsync, bound, ct).ConfigureAwait(false);
                        why = silent ? $"/health/readiness did not answer within {seconds}" : null;
                    }
                    catch (KaitException ex)
                    {
                        why = KaitCli.OneLine(ex.Message);
                    }

                    var home = paths.Home;
                    if (!ProxyIdentity.LooksLikeLiteLlm(readiness) && !ProxyIdentity.IsRecordedProxy(home, options.Proxy.BaseUrl))
                    {
                        checks.Add(Check.Fail("proxy", $"{url} answers, but not as a LiteLLM proxy ({why ?? "its /health/readiness lacks LiteLLM's status and litellm_version"}): port {options.Proxy.BaseUrl.Port} is taken by another program; it was sent no key", "stop that program, or point KAIT_LITELLM_URL / KAIT_LITELLM_PORT at the proxy"));
                    }
                    else
                    {
                        checks.Add(Check.Pass("proxy", $"{url} answers" + (readiness?.LiteLlmVersion is { } version ? $" (LiteLLM {version})" : string.Empty)));
                        try
                        {
                            var (_, slow) = await WithinAsync(proxy.ListModelsAsync, bound, ct).ConfigureAwait(false);
                            checks.Add(slow
                                ? Check.Fail("master key", $"/v1/models did not answer within {seconds}", "see the proxy's log")
                                : Check.Pass("master key", "accepted"));
                        }
                        catch (AuthenticationFailedException)
                        {
                            checks.Add(Check.Fail("master key", "KAIT_LITELLM_MASTER_KEY does not match the proxy", "set it to the proxy's master_key (LITELLM_MASTER_KEY)"));
                        }
                        catch (KaitException ex)
                        {
                            checks.Add(Check.Fail("master key", KaitCli.OneLine(ex.Message), "see the proxy's log"));
                        }
                    }
                }
            }
            else
            {
                checks.Add(Check.NotApplicable("proxy", "KAIT_LITELLM_ENABLED is false: calls go to the providers directly"));
            }

            // 5. The ledger.
            var costOptions = services.GetRequiredService<IOptions<KaitCostOptions>>().Value;
            try
            {
                var summary = await services.GetRequiredService<ICostLedger>().GetSummaryAsync(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
                checks.Add(Check.Pass("cost ledger", $"{costOptions.ResolveDatabasePath()} ({summary.Calls} calls today)"));
            }
            catch (Exception ex) when (ex is KaitException or IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                checks.Add(Check.Fail("cost ledger", $"{costOptions.ResolveDatabasePath()}: {KaitCli.OneLine(ex.Message)}", "make $KAIT_HOME writable, or move the file aside if it is corrupt"));
            }

            var table = new Table().AddColumns(" ", "check", "result", "fix");
            foreach (var c in checks)
            {
                // No credentials written into a URL (http://user:password@host) are ever shown.
                table.AddRow(c.State, Markup.Escape(c.Name), Markup.Escape(UrlRedaction.Redact(c.Detail)), Markup.Escape(UrlRedaction.Redact(c.Fix ?? string.Empty)));
            }

            Consoles.For(context.Out).Write(table);
            var failed = checks.Count(c => c.Failed);
            await (failed == 0 ? context.Out : context.Error).WriteLineAsync(failed == 0 ? "All checks passed." : $"{failed} check(s) failed.").ConfigureAwait(false);
            return failed == 0 ? ExitCodes.Success : ExitCodes.Failure;
        });
        return command;
    }

    /// <summary>How long one proxy probe may take unless <c>--timeout</c> says otherwise.</summary>
    public const int DefaultProbeSeconds = 5;

    /// <summary>Runs <paramref name="probe"/> for at most <paramref name="bound"/>: a proxy that accepts and never answers cannot hang doctor.</summary>
    private static async Task<(T? Value, bool TimedOut)> WithinAsync<T>(Func<CancellationToken, Task<T>> probe, TimeSpan bound, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(bound);
        try
        {
            return (await probe(deadline.Token).ConfigureAwait(false), false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (default, true);
        }
    }

    private static string Warnings(ConfigReadResult result)
    {
        var warnings = result.Diagnostics.Where(d => d.Severity == ConfigSeverity.Warning).ToArray();
        return warnings.Length == 0 ? string.Empty : "; " + string.Join("; ", warnings.Select(w => w.ToString()));
    }

    private sealed record Check(string State, string Name, string Detail, string? Fix, bool Failed)
    {
        public static Check Pass(string name, string detail) => new("✓", name, detail, null, false);

        public static Check Fail(string name, string detail, string fix) => new("✗", name, detail, fix, true);

        public static Check NotApplicable(string name, string detail) => new("n/a", name, detail, null, false);
    }
}
