using System.Diagnostics;

namespace Kait.Sdk.Proxy.Tests;

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
        foreach (string a in args)
        {
            info.ArgumentList.Add(a);
        }

        info.Environment.Clear();
        foreach (var (k, v) in env)
        {
            info.Environment[k] = v;
        }

        using var p = Process.Start(info)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
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
        string emptyPath = Directory.CreateDirectory(home.File("empty-bin")).FullName;

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
}
