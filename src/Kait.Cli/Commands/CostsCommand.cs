using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Kait.Cli.Output;
using Kait.Sdk;
using Kait.Sdk.Costs;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Kait.Cli.Commands;

/// <summary><c>kait costs [--since 7d] [--by day|alias|model|route] [--source local|proxy|both] [--json]</c>: totals from
/// the SQLite ledger (this machine), from the LiteLLM proxy's daily activity (every caller of the proxy: the fleet), or
/// both side by side per day and alias with the differences beyond rounding flagged.</summary>
internal static class CostsCommand
{
    /// <summary>Two figures of one day and alias that differ by more than this (USD) are flagged: the ledger keeps
    /// pico-USD, LiteLLM a float per row, so only rounding below a millionth of a dollar is forgiven.</summary>
    internal const decimal RoundingUsd = 0.000001m;

    /// <summary>The most local calls read for a comparison.</summary>
    internal const int MaxComparedCalls = 200_000;

    public static Command Create(CliContext context)
    {
        var since = new Option<string>("--since") { Description = "How far back: 30m, 12h, 7d, 4w (default 7d)", DefaultValueFactory = _ => "7d" };
        since.Validators.Add(r =>
        {
            if (!TryParseSpan(r.GetValueOrDefault<string>(), out _))
            {
                r.AddError("--since takes a number and a unit: 30m, 12h, 7d or 4w.");
            }
        });
        var by = new Option<CostGroupBy>("--by") { Description = "Group by day, alias, model, route or tag (default day; a call with several tags counts under each)", DefaultValueFactory = _ => CostGroupBy.Day };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var source = new Option<CostSourceOption>("--source")
        {
            Description = "local: this machine's ledger; proxy: the proxy's figures (the whole fleet, whole UTC days); both: side by side per day and alias",
            DefaultValueFactory = _ => CostSourceOption.Local,
        };
        var command = new Command("costs", "Spend, tokens and cache hits from the local cost ledger or the LiteLLM proxy") { since, by, json, source };
        command.Validators.Add(r =>
        {
            if (r.GetValue(source) == CostSourceOption.Proxy && r.GetValue(by) == CostGroupBy.Route)
            {
                r.AddError("--by route is for the local ledger: every call the proxy saw went through the proxy.");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(context, parse.GetValue(KaitCli.ConfigOption), parse.GetValue(KaitCli.VerboseOption));
            var ledger = services.GetRequiredService<ICostLedger>();
            _ = TryParseSpan(parse.GetValue(since), out var span); // validated above
            var to = services.GetRequiredService<TimeProvider>().GetUtcNow();
            if (parse.GetValue(source) == CostSourceOption.Both)
            {
                return await CompareAsync(context, services, to - span, to, parse.GetValue(json), ct).ConfigureAwait(false);
            }

            var rows = parse.GetValue(source) == CostSourceOption.Proxy
                ? await ProxyTotalsAsync(services.GetRequiredService<LiteLlmProxyClient>(), parse.GetValue(by), to - span, to, ct).ConfigureAwait(false)
                : await ledger.GetTotalsAsync(parse.GetValue(by), to - span, to.AddSeconds(1), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                var items = rows.Select(r => new CostJson(r.Key, r.Calls, r.InputTokens, r.OutputTokens, r.CostUsd, r.CacheHits)).ToArray();
                await context.Out.WriteLineAsync(JsonSerializer.Serialize(items, CliJsonContext.Default.CostJsonArray)).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns(parse.GetValue(by).ToString().ToLowerInvariant(), "calls", "input tokens", "output tokens", "cost (USD)", "cache hits", "unpriced");
            foreach (var r in rows)
            {
                var key = r.Key.Length == 0 && parse.GetValue(by) == CostGroupBy.Tag ? "(untagged)" : r.Key;
                table.AddRow(Markup.Escape(key), N(r.Calls), N(r.InputTokens), N(r.OutputTokens), r.CostUsd.ToString("0.######", CultureInfo.InvariantCulture), N(r.CacheHits), N(r.UnknownCostCalls));
            }

            // By tag a call with several tags is in several rows: the caption's totals are the ledger's own.
            var summary = parse.GetValue(by) == CostGroupBy.Tag ? await ledger.GetSummaryAsync(to - span, to.AddSeconds(1), ct).ConfigureAwait(false) : null;
            var total = summary?.CostUsd ?? rows.Aggregate(0m, (sum, r) => sum + r.CostUsd);
            table.Caption($"{summary?.Calls ?? rows.Sum(r => r.Calls)} calls, ${total.ToString("0.######", CultureInfo.InvariantCulture)} since {(to - span).ToString("u", CultureInfo.InvariantCulture)}");
            Consoles.For(context.Out).Write(table);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The proxy's figures in the local table's shape (whole UTC days from the one <paramref name="from"/> is in).</summary>
    private static async Task<IReadOnlyList<CostTotals>> ProxyTotalsAsync(LiteLlmProxyClient proxy, CostGroupBy by, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var days = await proxy.GetDailyActivityAsync(DateOnly.FromDateTime(from.UtcDateTime), DateOnly.FromDateTime(to.UtcDateTime), cancellationToken: ct).ConfigureAwait(false);
        IEnumerable<(string Key, LiteLlmSpend Spend)> parts = by switch
        {
            CostGroupBy.Day => days.Select(d => (d.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Total)),
            CostGroupBy.Alias => days.SelectMany(d => d.ByModelGroup.Select(g => (g.Key, g.Value))),
            _ => days.SelectMany(d => d.ByModel.Select(g => (g.Key, g.Value))),
        };
        return [.. parts
            .GroupBy(p => p.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var s = g.Aggregate(LiteLlmSpend.Zero, (sum, p) => sum.Add(p.Spend));
                return new CostTotals(g.Key, s.Requests, s.PromptTokens, s.CompletionTokens, s.SpendUsd, 0);
            })
            .OrderBy(t => t.Key, StringComparer.Ordinal)];
    }

    /// <summary><c>--source both</c>: per UTC day and alias, this machine's calls through the proxy beside what the proxy
    /// billed; a difference beyond <see cref="RoundingUsd"/> is flagged (a call the proxy billed that this machine did
    /// not book, e.g. another machine or a lost row, or the reverse).</summary>
    private static async Task<int> CompareAsync(CliContext context, IServiceProvider services, DateTimeOffset from, DateTimeOffset to, bool asJson, CancellationToken ct)
    {
        var firstDay = DateOnly.FromDateTime(from.UtcDateTime);
        var lastDay = DateOnly.FromDateTime(to.UtcDateTime);
        var proxyDays = await services.GetRequiredService<LiteLlmProxyClient>().GetDailyActivityAsync(firstDay, lastDay, cancellationToken: ct).ConfigureAwait(false);
        var start = new DateTimeOffset(firstDay.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var calls = await services.GetRequiredService<ICostLedger>().GetCallsAsync(start, to.AddSeconds(1), MaxComparedCalls + 1, ct).ConfigureAwait(false);
        if (calls.Count > MaxComparedCalls)
        {
            await context.Error.WriteLineAsync($"kait: more than {MaxComparedCalls:N0} local calls in the range; use a shorter --since.").ConfigureAwait(false);
            return ExitCodes.Failure;
        }

        // Only what went to the proxy and could be billed: calls on the proxy route that were not cache hits.
        var local = calls
            .Where(c => c.Route == "proxy" && !c.CacheHit)
            .GroupBy(c => (Day: DateOnly.FromDateTime(c.TimestampUtc.UtcDateTime), c.Alias))
            .ToDictionary(g => g.Key, g => (Calls: (long)g.Count(), Usd: g.Sum(c => c.CostUsd ?? 0m)));
        var remote = proxyDays
            .SelectMany(d => d.ByModelGroup.Select(g => (Key: (Day: d.Date, Alias: g.Key), g.Value)))
            .ToDictionary(p => p.Key, p => p.Value);
        var rows = local.Keys.Union(remote.Keys)
            .OrderBy(k => k.Day).ThenBy(k => k.Alias, StringComparer.Ordinal)
            .Select(k =>
            {
                var (localCalls, localUsd) = local.GetValueOrDefault(k);
                var proxy = remote.GetValueOrDefault(k) ?? LiteLlmSpend.Zero;
                var difference = proxy.SpendUsd - localUsd;
                var flagged = Math.Abs(difference) > RoundingUsd;
                var reason = !flagged ? null
                    : difference > 0 ? "the proxy billed calls this machine did not book (another machine, or a lost ledger row)"
                    : "this machine booked calls the proxy did not bill (a failed call, or a proxy without spend logs)";
                return new CostComparisonJson(k.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), k.Alias, localCalls, localUsd, proxy.Requests, proxy.SpendUsd, difference, flagged, reason);
            })
            .ToArray();
        if (asJson)
        {
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(rows, CliJsonContext.Default.CostComparisonJsonArray)).ConfigureAwait(false);
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("day", "alias", "local calls", "local (USD)", "proxy requests", "proxy (USD)", "difference (USD)", "");
        foreach (var r in rows)
        {
            table.AddRow(
                r.Day, Markup.Escape(r.Alias), N(r.LocalCalls), Usd(r.LocalUsd), N(r.ProxyRequests), Usd(r.ProxyUsd), Usd(r.DifferenceUsd),
                r.Flagged ? "[red]differs[/]" : "ok");
        }

        var flaggedCount = rows.Count(r => r.Flagged);
        table.Caption(flaggedCount == 0
            ? "the proxy's figures match this machine's ledger"
            : $"{flaggedCount} day(s) and alias(es) differ beyond rounding: the proxy counts every caller (the fleet), the ledger this machine only");
        Consoles.For(context.Out).Write(table);
        return ExitCodes.Success;
    }

    private static string Usd(decimal value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    internal static bool TryParseSpan(string? text, out TimeSpan span)
    {
        span = default;
        if (string.IsNullOrWhiteSpace(text) || text.Length < 2 || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n <= 0)
        {
            return false;
        }

        span = char.ToLowerInvariant(text[^1]) switch
        {
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            'w' => TimeSpan.FromDays(7 * n),
            _ => default,
        };
        return span > TimeSpan.Zero;
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>Where <c>kait costs</c> reads spend.</summary>
internal enum CostSourceOption
{
    /// <summary>This machine's ledger.</summary>
    Local,

    /// <summary>The LiteLLM proxy's daily activity.</summary>
    Proxy,

    /// <summary>Both, side by side.</summary>
    Both,
}
