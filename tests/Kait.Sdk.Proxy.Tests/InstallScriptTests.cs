using System.Diagnostics;

namespace Kait.Sdk.Proxy.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class InstallScriptTests
{
    private static string Script
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Kait.Sdk.sln")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir!.FullName, "scripts", "install_litellm.sh");
        }
    }

    private static (int Code, string Output) Bash(IDictionary<string, string> env, params string[] args)
    {
        var info = new ProcessStartInfo("/bin/bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Clear();
        foreach (var (k, v) in env)
        {
            info.Environment[k] = v;
        }

        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(30_000));
        return (p.ExitCode, stdout.Result + stderr.Result);
    }

    [Fact]
    public void Script_parses()
    {
        var (code, output) = Bash(new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, "-n", Script);
        Assert.True(code == 0, output);
    }

    [Fact]
    public void Missing_python_is_a_clear_message_and_a_non_zero_exit()
    {
        using var home = new TempHome();
        var emptyPath = Directory.CreateDirectory(home.File("empty-bin")).FullName;

        var (code, output) = Bash(new Dictionary<string, string> { ["PATH"] = emptyPath, ["HOME"] = home.Path, ["KAIT_HOME"] = home.File("kait") }, Script);

        Assert.Equal(1, code);
        Assert.Contains("'python3' was not found on PATH", output);
        Assert.Contains("Install Python", output);
        Assert.False(Directory.Exists(home.File("kait/venv")));
    }

    [Fact]
    public void Unknown_option_is_rejected()
    {
        var (code, output) = Bash(new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" }, Script, "--bogus");
        Assert.Equal(2, code);
        Assert.Contains("unknown option", output);
    }

    /// <summary>A fake <c>python3</c> (no network): its venv is a copy of itself, and its pip records each install and "installs" the pinned version.</summary>
    private const string FakePython = """
        #!/bin/bash
        case "$1" in
          -c) case "$2" in *"import litellm.proxy"*) [ -s "$FAKE_PY_STATE/installed" ]; exit $? ;; esac; exit 0 ;;
          --version) echo "Python 3.11.0"; exit 0 ;;
          -m) case "$2" in
                venv) mkdir -p "$3/bin" && cp "$0" "$3/bin/python"; exit $? ;;
                ensurepip) exit 0 ;;
                pip) case "$3" in
                       --version) exit 0 ;;
                       show) echo "Version: $(cat "$FAKE_PY_STATE/installed")"; exit 0 ;;
                       install) echo "$*" >> "$FAKE_PY_STATE/pip.log"
                                for a in "$@"; do case "$a" in litellm*==*) echo "${a##*==}" > "$FAKE_PY_STATE/installed" ;; esac; done
                                exit 0 ;;
                     esac ;;
              esac ;;
        esac
        exit 1
        """;

    private static (int Code, string Output) Install(TempHome home, IDictionary<string, string>? extra = null)
    {
        var bin = Directory.CreateDirectory(home.File("bin")).FullName;
        var python = Path.Combine(bin, "python3");
        if (!File.Exists(python))
        {
            File.WriteAllText(python, FakePython.ReplaceLineEndings("\n") + "\n");
            File.SetUnixFileMode(python, (UnixFileMode)0b111_101_101);
        }

        var env = new Dictionary<string, string>
        {
            ["PATH"] = bin + ":/usr/bin:/bin",
            ["HOME"] = home.Path,
            ["KAIT_HOME"] = home.File("kait"),
            ["FAKE_PY_STATE"] = home.Path,
        };
        foreach (var (k, v) in extra ?? new Dictionary<string, string>())
        {
            env[k] = v;
        }

        return Bash(env, Script);
    }

    private static string[] PipInstalls(TempHome home) =>
        File.Exists(home.File("pip.log")) ? File.ReadAllLines(home.File("pip.log")) : [];

    [Fact]
    public void Litellm_is_installed_at_one_pinned_version_into_a_private_home()
    {
        using var home = new TempHome();

        var (code, output) = Install(home);

        Assert.True(code == 0, output);
        Assert.Equal(["-m pip install --disable-pip-version-check litellm[proxy]==1.80.10"], PipInstalls(home));
        Assert.Contains($"KAIT_PYTHON={home.File("kait/venv/bin/python")}", output);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(home.File("kait")));

        (code, output) = Install(home);
        Assert.True(code == 0, output);
        Assert.Contains("litellm 1.80.10 is already installed", output);
        Assert.Single(PipInstalls(home));
    }

    [Fact]
    public void LITELLM_VERSION_overrides_the_pin_and_the_pin_wins_back_without_it()
    {
        using var home = new TempHome();

        var (code, output) = Install(home, new Dictionary<string, string> { ["LITELLM_VERSION"] = "1.79.3" });
        Assert.True(code == 0, output);
        Assert.EndsWith("litellm[proxy]==1.79.3", PipInstalls(home).Single());

        (code, output) = Install(home);
        Assert.True(code == 0, output);
        Assert.EndsWith("litellm[proxy]==1.80.10", PipInstalls(home).Last()); // another version installed: the pin is put back
    }

    [Theory]
    [InlineData(">=1.0")]
    [InlineData("1.80.10; rm -rf ~")]
    [InlineData("latest")]
    public void A_LITELLM_VERSION_that_is_not_an_exact_version_is_refused(string version)
    {
        using var home = new TempHome();

        var (code, output) = Install(home, new Dictionary<string, string> { ["LITELLM_VERSION"] = version });

        Assert.Equal(2, code);
        Assert.Contains("LITELLM_VERSION must be an exact version", output);
        Assert.Empty(PipInstalls(home));
        Assert.False(Directory.Exists(home.File("kait/venv")));
    }
}
