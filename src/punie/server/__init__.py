"""punie.server"""
