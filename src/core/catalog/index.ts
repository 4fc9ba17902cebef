/** What the model sees of an endpoint: exposed and hidden tools, routes, naming problems. Pure. */
export { buildCatalog, entriesOf } from './buildCatalog';
export { ACCOUNT_PARAM, collapseAccounts, type AccountMember, type SchemaItem } from './collapseAccounts';
export type { AccountChoice, AccountRoute, Catalog, CatalogEntry, CatalogItem, CatalogMember, CatalogNaming, HiddenItem, HiddenReason, MemberEntries, Route } from './model';
