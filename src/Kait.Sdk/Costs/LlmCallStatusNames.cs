namespace Kait.Sdk.Costs;

/// <summary>The wire names of <see cref="LlmCallStatus"/> (<c>ok</c>, <c>error</c>, <c>cancelled</c>, <c>possibly-billed</c>), as stored in the ledger.</summary>
internal static class LlmCallStatusNames
{
    /// <summary>The wire name of <paramref name="status"/>.</summary>
    /// <param name="status">The status.</param>
    public static string ToWireName(this LlmCallStatus status) => status switch
    {
        LlmCallStatus.Error => "error",
        LlmCallStatus.Cancelled => "cancelled",
        LlmCallStatus.PossiblyBilled => "possibly-billed",
        _ => "ok",
    };

    /// <summary>The status named <paramref name="wireName"/>; <see cref="LlmCallStatus.Ok"/> for any other text.</summary>
    /// <param name="wireName">A wire name.</param>
    public static LlmCallStatus Parse(string? wireName) => wireName switch
    {
        "error" => LlmCallStatus.Error,
        "cancelled" => LlmCallStatus.Cancelled,
        "possibly-billed" => LlmCallStatus.PossiblyBilled,
        _ => LlmCallStatus.Ok,
    };
}
