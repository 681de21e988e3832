namespace Kait.Sdk.Costs.Ledger;

/// <summary>USD as stored: whole pico-USD (10^-12), so that SQLite's integer sums are exact.</summary>
internal static class LedgerMoney
{
    private const decimal PicoPerUsd = 1_000_000_000_000m;

    public static long ToPico(decimal usd) => (long)decimal.Round(usd * PicoPerUsd, MidpointRounding.ToEven);

    public static decimal FromPico(long pico) => pico / PicoPerUsd;
}
