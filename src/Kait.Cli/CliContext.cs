using Kait.Sdk;

namespace Kait.Cli;

/// <summary>What a command runs against: the environment (process or test), stdout and stderr.</summary>
internal sealed record CliContext(KaitEnvironment Environment, TextWriter Out, TextWriter Error)
{
    /// <summary>stdin (a key read with <c>-</c>); empty unless set.</summary>
    public TextReader In { get; init; } = TextReader.Null;
}
