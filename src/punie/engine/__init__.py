"""punie.engine"""
