using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Kait.Cli.Output;
using Kait.Sdk.Costs;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace Kait.Cli.Commands;

/// <summary><c>kait costs [--since 7d] [--by day|alias|model|route] [--json]</c>: totals from the SQLite ledger.</summary>
internal static class CostsCommand
{
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
        var command = new Command("costs", "Spend, tokens and cache hits from the local cost ledger") { since, by, json };
        command.SetAction(async (parse, ct) =>
        {
            await using var services = CliServices.Build(context, parse.GetValue(KaitCli.ConfigOption), parse.GetValue(KaitCli.VerboseOption));
            var ledger = services.GetRequiredService<ICostLedger>();
            _ = TryParseSpan(parse.GetValue(since), out var span); // validated above
            var to = services.GetRequiredService<TimeProvider>().GetUtcNow();
            var rows = await ledger.GetTotalsAsync(parse.GetValue(by), to - span, to.AddSeconds(1), ct).ConfigureAwait(false);
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
