"""sandbox/magento."""
