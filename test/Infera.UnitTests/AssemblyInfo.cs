// Every test gets a fresh fixture instance, so fields (fake clocks, registries, nodes) never leak between tests.
[assembly: FixtureLifeCycle(LifeCycle.InstancePerTestCase)]
