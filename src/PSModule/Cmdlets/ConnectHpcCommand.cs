using System.Management.Automation;
using System.Net;
using Firecrest.Core;
using Firecrest.Core.Client;
using Firecrest.Core.Configuration;
using Firecrest.Core.Engine;
using Firecrest.PowerShell.Completion;
using Firecrest.PowerShell.Infrastructure;
using Firecrest.PowerShell.Sessions;

namespace Firecrest.PowerShell.Cmdlets;

/// <summary>Connects to a FirecREST server (remote) or builds the engine from a YAML configuration (direct).</summary>
[Cmdlet(VerbsCommunications.Connect, "Session", HelpUri = HelpLinks.Guide, DefaultParameterSetName = ClientSecretSet)]
[OutputType(typeof(HpcSession))]
public sealed class ConnectHpcCommand : HpcCmdlet
{
    /// <summary>Remote with OIDC client id and secret.</summary>
    public const string ClientSecretSet = "ClientSecret";

    /// <summary>Remote with a PSCredential (user name = client id, password = secret).</summary>
    public const string CredentialSet = "Credential";

    /// <summary>Remote with a ready access token.</summary>
    public const string AccessTokenSet = "AccessToken";

    /// <summary>Direct: the engine in this process.</summary>
    public const string DirectSet = "Direct";

    /// <summary>Base URL of the FirecREST server.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ClientSecretSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = CredentialSet)]
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = AccessTokenSet)]
    [ValidateNotNullOrEmpty]
    public string Url { get; set; } = "";

    /// <summary>Token endpoint of the OIDC provider.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [ValidateNotNullOrEmpty]
    public string TokenUrl { get; set; } = "";

    /// <summary>OIDC client id (client credentials grant).</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
    [ValidateNotNullOrEmpty]
    public string ClientId { get; set; } = "";

    /// <summary>OIDC client secret.</summary>
    [Parameter(Mandatory = true, ParameterSetName = ClientSecretSet)]
    [ValidateNotNull]
    public System.Security.SecureString? ClientSecret { get; set; }

    /// <summary>Client id and secret as a credential.</summary>
    [Parameter(Mandatory = true, ParameterSetName = CredentialSet)]
    [Credential]
    [ValidateNotNull]
    public PSCredential? Credential { get; set; }

    /// <summary>An access token (not renewed).</summary>
    [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
    [ValidateNotNull]
    public System.Security.SecureString? AccessToken { get; set; }

    /// <summary>FirecREST YAML configuration (direct mode).</summary>
    [Parameter(Mandatory = true, ParameterSetName = DirectSet)]
    [ValidateNotNullOrEmpty]
    public string ConfigPath { get; set; } = "";

    /// <summary>User the engine acts as (direct mode).</summary>
    [Parameter(Mandatory = true, ParameterSetName = DirectSet)]
    [ValidateNotNullOrEmpty]
    public string User { get; set; } = "";

    /// <summary>Session name; connecting again with the same name replaces it.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    [ArgumentCompleter(typeof(SessionNameCompleter))]
    public string Name { get; set; } = HpcSessionStore.DefaultName;

    /// <summary>
    /// Make the new session the current one. Without it, the new session becomes current only when no session is
    /// current or when it replaces the current one (same -Name); Set-HpcSession switches later.
    /// </summary>
    [Parameter]
    public SwitchParameter Default { get; set; }

    /// <inheritdoc/>
    protected override void End()
    {
        var session = ParameterSetName == DirectSet ? ConnectDirect() : ConnectRemote();
        var old = HpcSessionStore.Add(session, Default);
        if (old is not null) Run(async _ => await old.CloseAsync().ConfigureAwait(false));
        if (!session.IsCurrent)
            WriteVerbose($"Session '{session.Name}' is open beside the current one ('{HpcSessionStore.Current?.Name}'): give -Session, or run Set-HpcSession {session.Name}.");
        WriteObject(session);
    }

    private HpcSession ConnectDirect()
    {
        var path = GetUnresolvedProviderPathFromPSPath(ConfigPath);
        if (!File.Exists(path)) Fail($"No configuration file at '{path}'.", "HpcConfigNotFound", path, ErrorCategory.ObjectNotFound);
        EngineHost? host = null;
        try
        {
            var loaded = FirecrestConfigLoader.Load(path);
            foreach (var w in loaded.Warnings) WriteWarning(w);
            host = EngineHost.Create(loaded.Settings);
            var ops = CallTrace.Traced(host.Engine.ForUser(new UserIdentity(User)));
            var systems = host.Engine.SystemNames.ToList();
            var h = host;
            CheckUser(ops, systems, path);
            return new HpcSession(Name, HpcSessionMode.Direct, path, User, ops, systems, () => h.DisposeAsync())
            {
                RefreshHealth = ct => h.Health.RunOnceAsync(ct),
            };
        }
        catch (HpcException e)
        {
            if (host is not null) Run(async _ => await host.DisposeAsync().ConfigureAwait(false));
            ThrowTerminatingError(ErrorRecords.From(e, path));
            throw;
        }
    }

    // A user without an account or a usable key fails here, naming the user, rather than at the first command.
    private void CheckUser(Core.Operations.IHpcOperations ops, IReadOnlyList<string> systems, string configPath)
    {
        if (systems.Count == 0) return;
        try
        {
            Run(ct => ops.Status.GetUserInfoAsync(systems[0], ct));
        }
        catch (HpcException e)
        {
            var error = new HpcException(e.Kind is HpcErrorKind.Internal or HpcErrorKind.NotFound or HpcErrorKind.InvalidArgument ? HpcErrorKind.Unauthenticated : e.Kind,
                $"Cannot act as '{User}' on {systems[0]} (configuration '{configPath}'): {e.Message}", e);
            throw error;
        }
    }

    private HpcSession ConnectRemote()
    {
        if (!Uri.TryCreate(Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            Fail($"'{Url}' is not an absolute http(s) URL.", "HpcBadUrl", Url);
        var http = new HttpClient(new TracingHandler());
        FirecrestClient? client = null;
        try
        {
            IAccessTokenProvider tokens = ParameterSetName switch
            {
                AccessTokenSet => new StaticTokenProvider(new NetworkCredential("", AccessToken).Password),
                CredentialSet => new OidcClientCredentialsTokenProvider(http, TokenUrl, Credential!.UserName, Credential.GetNetworkCredential().Password),
                _ => new OidcClientCredentialsTokenProvider(http, TokenUrl, ClientId, new NetworkCredential("", ClientSecret).Password),
            };
            client = new FirecrestClient(url!, tokens, new FirecrestClientOptions { HttpClient = http });
            var c = client;
            var systems = Run(async ct => (await c.Status.GetSystemsAsync(ct).ConfigureAwait(false)).Select(s => s.Name).ToList());
            var user = Run(async ct => UserOf(await tokens.GetTokenAsync(ct).ConfigureAwait(false)));
            return new HpcSession(Name, HpcSessionMode.Remote, url!.ToString(), user, client, systems, () =>
            {
                c.Dispose();
                http.Dispose();
                return ValueTask.CompletedTask;
            });
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            client?.Dispose();
            http.Dispose();
            var record = e is HpcException h ? ErrorRecords.From(h, Url)
                : new ErrorRecord(e, "HpcConnectFailed", ErrorCategory.ConnectionError, Url);
            ThrowTerminatingError(record);
            throw;
        }
    }

    // The user the server acts as comes from the token (the server's username_claim, preferred_username by default);
    // an opaque token (not a JWT) names nobody the module can read.
    private static string? UserOf(string token)
    {
        try
        {
            return JwtClaims.GetString(token, "preferred_username") ?? JwtClaims.GetString(token, "username") ?? JwtClaims.GetString(token, "sub");
        }
        catch (HpcException)
        {
            return null;
        }
    }
}
