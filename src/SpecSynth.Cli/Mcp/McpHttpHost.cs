using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SpecSynth.Cli.Mcp;

/// <summary>
/// <c>specsynth mcp --http PORT</c>: the same server over MCP's Streamable HTTP transport at <c>http://127.0.0.1:PORT/mcp</c>, bound to
/// the loopback interface only. A request from a browser page of another origin is refused (403: the <c>Origin</c> must be
/// localhost, 127.0.0.1 or [::1]), and with <c>SPECSYNTH_MCP_TOKEN</c> set every request must carry <c>Authorization: Bearer TOKEN</c> (401).
/// </summary>
internal static class McpHttpHost
{
    public const string TokenVariable = "SPECSYNTH_MCP_TOKEN";

    /// <summary>Serves until <paramref name="cancellationToken"/> is cancelled; the address is written to <paramref name="log"/>.</summary>
    public static async Task RunAsync(SpecSynthMcpServer server, int port, string? token, TextWriter log, CancellationToken cancellationToken)
    {
        var app = Build(server, port, token);
        await using (app.ConfigureAwait(false))
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            await log.WriteLineAsync($"specsynth mcp: serving {server.Project.Root} at {address}/mcp" +
                (token is null ? "" : $" (bearer token from {TokenVariable} required)")).ConfigureAwait(false);
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C or SIGTERM: stop serving.
            }
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The application, not started: Kestrel on 127.0.0.1:<paramref name="port"/>, the request check, MCP at <c>/mcp</c>.
    /// Built empty, with no configuration source at all: the slim and default builders take the working folder (the user's
    /// project, which they may not trust) as content root, load its <c>appsettings.json</c> and <c>appsettings.{Environment}.json</c>
    /// and the <c>ASPNETCORE_*</c>, <c>DOTNET_*</c> and plain environment variables, and Kestrel then binds every endpoint a
    /// <c>Kestrel:Endpoints</c> section names besides ours (any address, so the tools could be served beyond loopback); they also
    /// watch the working folder recursively for changes of those files (an inotify watch on every sub-folder, and work on a watcher
    /// thread at every write below it).</summary>
    internal static WebApplication Build(SpecSynthMcpServer server, int port, string? token)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(o => o.Listen(IPAddress.Loopback, port));
        builder.Services.AddRoutingCore();
        var options = server.Options();
        builder.Services.AddMcpServer(o =>
        {
            o.ServerInfo = options.ServerInfo;
            o.Capabilities = options.Capabilities;
            o.ServerInstructions = options.ServerInstructions;
            o.Handlers = options.Handlers;
        }).WithHttpTransport();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            if (Refusal(context.Request, token) is { } refused)
            {
                context.Response.StatusCode = refused.Status;
                await context.Response.WriteAsync(refused.Message, context.RequestAborted).ConfigureAwait(false);
                return;
            }
            await next(context).ConfigureAwait(false);
        });
        app.MapMcp("/mcp");
        return app;
    }

    /// <summary>Why a request is refused (status and text), or <c>null</c> to serve it.</summary>
    private static (int Status, string Message)? Refusal(HttpRequest request, string? token)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && (uri.IsLoopback || uri.Host == "localhost")))
        {
            return (StatusCodes.Status403Forbidden, "Forbidden: this server answers pages of localhost only.");
        }
        if (token is null)
        {
            return null;
        }
        var given = request.Headers.Authorization.ToString();
        var expected = "Bearer " + token;
        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected))
            ? null
            : (StatusCodes.Status401Unauthorized, $"Unauthorized: send Authorization: Bearer <the value of {TokenVariable}>.");
    }
}
