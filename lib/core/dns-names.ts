// The DNS name shapes Kubernetes validates names against (apimachinery's
// validation package). Lengths are checked separately, so messages can say which limit.

/** A DNS-1035 label: what a Service name must be (it starts with a letter). */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 label: a namespace name, one part of a host name. At most 63 characters. */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain: dot-separated labels, e.g. a host name. At most 253 characters. */
export const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
