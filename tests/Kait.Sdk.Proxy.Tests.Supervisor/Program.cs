using Kait.Sdk.Hosting;

// `kait proxy run`: supervise the proxy in the foreground until SIGTERM/SIGINT; `kait proxy start` relaunches this detached.
var control = ProxyControl.FromEnvironment();
var result = await control.RunAsync();
Console.WriteLine(result.Message);
return result.ExitCode;
