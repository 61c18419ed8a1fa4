// Kept for errors.ts's `checkName`, which imports the label shapes from here:
// they are written once, in ./rules/names.
export { DNS_1035_LABEL, DNS_1123_LABEL, DNS_1123_SUBDOMAIN } from './rules/names';
