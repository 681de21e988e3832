using Spectre.Console;

namespace Kait.Cli.Output;

/// <summary>Spectre consoles bound to a writer (stdout, or a test's).</summary>
internal static class Consoles
{
    public static IAnsiConsole For(TextWriter writer)
    {
        var terminal = writer == Console.Out && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        if (!terminal)
        {
            // Redirected output (a pipe, a file, a test) gets whole rows rather than 80 wrapped columns.
            console.Profile.Width = 200;
        }

        return console;
    }
}
