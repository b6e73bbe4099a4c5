// hubspot.fetch calls `self.hsFetch` (the worker global HubSpot provides). Node has no `self`, so alias it; each
// test installs its fake backend as self.hsFetch. Nothing here touches the network.
globalThis.self ??= globalThis;
globalThis.hsFetch = async (url) => {
  throw new Error(`No fake backend installed for ${url}`);
};
