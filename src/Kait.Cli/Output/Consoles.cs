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

    /// <summary>Text a server sent, made safe to print: control and format characters (an escape sequence that would
    /// drive the terminal, a bidi override that would reorder the line) become '?'.</summary>
    public static string Printable(string? text) => text is null
        ? string.Empty
        : string.Create(text.Length, text, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsControl(c) || System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Format
                    or System.Globalization.UnicodeCategory.LineSeparator or System.Globalization.UnicodeCategory.ParagraphSeparator ? '?' : c;
            }
        });
}
