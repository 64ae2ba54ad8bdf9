namespace Homelab.Tests.Infrastructure;

/// <summary>One DCP with controllers for the whole collection: Executables really run.</summary>
public sealed class DcpFixture : IAsyncLifetime
{
    private DcpApiServer? _server;

    public DcpApiServer Server => _server ?? throw new InvalidOperationException("DCP is not started");

    public async Task InitializeAsync() => _server = await DcpApiServer.StartAsync(TestPaths.Dcp, serverOnly: false);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
