using Infera.NodeLink;
using Infera.Nodes;

namespace Infera.Simulation;

/// <summary>
/// A node's link, simulated: a dispatch is answered by the node's behaviour, delivered later by the network (never
/// inside <see cref="SendAsync"/>, which the job calls in its own turn); closing the link takes the node out of the
/// registry, as the silo's link handler does.
/// </summary>
internal sealed class SimulatedNode(NodeBehaviour behaviour, string remoteAddress, int seed, SimulatedNetwork network) : INodeConnection
{
    private readonly Random _random = new(seed);

    public NodeBehaviour Behaviour { get; } = behaviour;

    public bool IsAdversary => Behaviour is not Honest;

    public string? RemoteAddress { get; } = remoteAddress;

    /// <summary>The grain the silo holds for this link; set once, right after the grain is built on it.</summary>
    public NodeGrain Grain { get; set; } = null!;

    public bool Closed { get; private set; }

    public ValueTask SendAsync(NodeLinkMessage message, CancellationToken cancellationToken)
    {
        if (message is Dispatch dispatch && !Closed)
        {
            network.Schedule(this, dispatch, Behaviour.Respond(dispatch, _random));
        }

        return ValueTask.CompletedTask; // a Cancel needs nothing: the grain ignores reports for released assignments
    }

    public void Abort(string reason)
    {
        Closed = true;
        network.OnClosed(this);
    }
}
