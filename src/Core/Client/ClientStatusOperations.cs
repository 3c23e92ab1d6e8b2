using Firecrest.Core.Models;
using Firecrest.Core.Operations;

namespace Firecrest.Core.Client;

/// <summary>The <c>/status</c> routes over HTTP.</summary>
internal sealed class ClientStatusOperations(FirecrestTransport http) : IStatusOperations
{
    public async Task<IReadOnlyList<HpcSystem>> GetSystemsAsync(CancellationToken cancellationToken = default) =>
        (await http.SendForJsonAsync<WireEnvelopes.SystemsAnswer>(Get("/status/systems"), cancellationToken).ConfigureAwait(false)).Systems ?? [];

    public async Task<IReadOnlyList<Node>> GetNodesAsync(string system, CancellationToken cancellationToken = default) =>
        (await http.SendForJsonAsync<WireEnvelopes.NodesAnswer>(Get($"/status/{Routes.Segment(system)}/nodes"), cancellationToken).ConfigureAwait(false)).Nodes ?? [];

    public async Task<IReadOnlyList<Partition>> GetPartitionsAsync(string system, bool showHidden = false, CancellationToken cancellationToken = default) =>
        (await http.SendForJsonAsync<WireEnvelopes.PartitionsAnswer>(
            Get($"/status/{Routes.Segment(system)}/partitions", [new("show_hidden", Routes.Bool(showHidden))]), cancellationToken).ConfigureAwait(false)).Partitions ?? [];

    public async Task<IReadOnlyList<Reservation>> GetReservationsAsync(string system, CancellationToken cancellationToken = default) =>
        (await http.SendForJsonAsync<WireEnvelopes.ReservationsAnswer>(Get($"/status/{Routes.Segment(system)}/reservations"), cancellationToken).ConfigureAwait(false)).Reservations ?? [];

    public Task<UserInfo> GetUserInfoAsync(string system, CancellationToken cancellationToken = default) =>
        http.SendForJsonAsync<UserInfo>(Get($"/status/{Routes.Segment(system)}/userinfo"), cancellationToken);

    private static ApiCall Get(string path, IReadOnlyList<KeyValuePair<string, string?>>? query = null) =>
        new(HttpMethod.Get, path, query, Retryable: true);
}
