using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SpecSynth.BenchShared;

/// <summary>The builder of the benches' and the tests' in-process HTTP servers (compiled into each of them): Kestrel on loopback,
/// with no configuration source and no file watcher. <c>WebApplication.CreateSlimBuilder()</c> took the working folder as
/// content root and watched it recursively for <c>appsettings.json</c> (an inotify watch on every sub-folder, and lstat/read
/// calls on a watcher thread at every write below it, which a bench run from <c>/tmp</c> paid per request), and bound whatever
/// extra endpoints that file or the <c>ASPNETCORE_*</c> variables named.</summary>
internal static class LoopbackWebApp
{
    /// <summary>A builder whose Kestrel listens where <paramref name="listen"/> says; by default on 127.0.0.1, any free port.</summary>
    public static WebApplicationBuilder CreateBuilder(Action<KestrelServerOptions>? listen = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(listen ?? (o => o.Listen(IPAddress.Loopback, 0)));
        return builder;
    }
}
