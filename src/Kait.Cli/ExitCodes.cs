namespace Kait.Cli;

/// <summary>The exit codes of every <c>kait</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>Success.</summary>
    public const int Success = 0;

    /// <summary>Failure; one clear line on stderr.</summary>
    public const int Failure = 1;

    /// <summary>The command line was wrong.</summary>
    public const int Usage = 2;

    /// <summary>A budget was exceeded.</summary>
    public const int BudgetExceeded = 3;
}
